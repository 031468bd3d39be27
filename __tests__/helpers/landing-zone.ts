import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { type App, TerraformStack, Testing } from "cdktf";
import { landingZoneConfigSchema, type LandingZoneConfigInput } from "../../config/schema";
import { normalizeLandingZone } from "../../config/normalize";
import type { NormalizedLandingZone } from "../../config/types";
import { writeDeploymentPackage } from "../../lambdas/deployment-package";

/** The landing zone the tests start from (all stacks in the management account; not the embedded example). */
export const EXAMPLE_CONFIG = path.join(__dirname, "..", "fixtures", "landing-zone.yaml");

/** The example config as users write it (raw YAML, before the schema's defaults). */
export function exampleInput(): LandingZoneConfigInput {
  return parse(fs.readFileSync(EXAMPLE_CONFIG, "utf8")) as LandingZoneConfigInput;
}

/**
 * A normalised landing zone from the example, with top-level sections replaced by `overrides` (spread, so
 * an override of `reports` must carry the whole section: use `{ ...exampleInput().reports, ... }`).
 */
export function landingZone(overrides: Partial<LandingZoneConfigInput> = {}): NormalizedLandingZone {
  const config = landingZoneConfigSchema.parse({ ...exampleInput(), ...overrides });
  return normalizeLandingZone(config, EXAMPLE_CONFIG);
}

const madeDirs: string[] = [];

/**
 * `Testing.app()` with an output folder this helper owns (Testing.app's own `cdktf.outdir.*` folders would be
 * left behind); `cleanup()` in `afterAll` removes them.
 */
export function testApp(): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-stacks-test-"));
  madeDirs.push(outdir);
  return Testing.app({ outdir });
}

/** A temporary folder with a dummy `index.js`, standing in for the bundled partitioner. */
export function dummyPartitionerPackage(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "partitioner-package-"));
  madeDirs.push(dir);
  const file = path.join(dir, "partitioner.zip");
  writeDeploymentPackage(file, Buffer.from("exports.handler = async () => undefined;\n"));
  return file;
}

/** A temporary zip with a dummy `index.js`, standing in for the bundled job-alerts formatter. */
export function dummyJobAlertsPackage(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "job-alerts-package-"));
  madeDirs.push(dir);
  const file = path.join(dir, "job-alerts.zip");
  writeDeploymentPackage(file, Buffer.from("exports.handler = async () => ({ batchItemFailures: [] });\n"));
  return file;
}

/** Removes every folder made by this helper. */
export function cleanup(): void {
  for (const dir of madeDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Synthesizes a construct built inside a fresh stack (like `Testing.synthScope`, without the stray outdir). */
export function synthConstruct(build: (stack: TerraformStack) => void): TerraformJson {
  const stack = new TerraformStack(testApp(), "test");
  build(stack);
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

/** Synthesized Terraform JSON of a stack. */
export function synthStack(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

/** Synthesized Terraform JSON, typed loosely for assertions. */
export type TerraformJson = {
  terraform?: Record<string, unknown>;
  provider?: Record<string, Array<Record<string, unknown>>>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, unknown>;
  locals?: Record<string, unknown>;
};

/** Every resource of one type, keyed by its logical id. */
export function resourcesOf(tf: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return tf.resource?.[type] ?? {};
}

/** The values of every resource of one type. */
export function resourceList(tf: TerraformJson, type: string): Array<Record<string, unknown>> {
  return Object.values(resourcesOf(tf, type));
}

/** The single resource of a type (fails the test when there are none or several). */
export function onlyResource(tf: TerraformJson, type: string): Record<string, unknown> {
  const list = resourceList(tf, type);
  if (list.length !== 1) throw new Error(`expected exactly one ${type}, found ${list.length}`);
  return list[0];
}

/** The resource of a type whose `attr` equals `value`. */
export function resourceWhere(tf: TerraformJson, type: string, attr: string, value: unknown): Record<string, unknown> {
  const found = resourceList(tf, type).filter((r) => r[attr] === value);
  if (found.length !== 1) throw new Error(`expected exactly one ${type} with ${attr} = ${String(value)}, found ${found.length}`);
  return found[0];
}

export interface ParsedStatement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** Statements of a JSON policy string. */
export function statementsOf(policy: unknown): ParsedStatement[] {
  if (typeof policy !== "string") throw new Error("policy is not a string");
  const doc = JSON.parse(policy) as { Version: string; Statement: ParsedStatement[] };
  if (doc.Version !== "2012-10-17") throw new Error(`unexpected policy version ${doc.Version}`);
  return doc.Statement;
}

/** The statement with a Sid. */
export function statementBySid(policy: unknown, sid: string): ParsedStatement {
  const found = statementsOf(policy).filter((s) => s.Sid === sid);
  if (found.length !== 1) throw new Error(`expected one statement ${sid}, found ${found.length}`);
  return found[0];
}

/** Every resource of every type in a synthesized stack, as [type, logical id, body]. */
export function allResources(tf: TerraformJson): Array<[string, string, Record<string, unknown>]> {
  const out: Array<[string, string, Record<string, unknown>]> = [];
  for (const [type, byId] of Object.entries(tf.resource ?? {})) {
    for (const [id, body] of Object.entries(byId)) out.push([type, id, body]);
  }
  return out;
}

/** The six stacks of a landing zone with a frameworks StackSet and a created trail, sorted by name. */
export function allStackNames(landingZone: string): string[] {
  return ["analytics", "audit-trail", "member-frameworks", "organization", "reporting", "trail-bucket"].map((k) => `${landingZone}-${k}`);
}
