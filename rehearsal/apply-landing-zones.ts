import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { deploymentOrder, readManifestStacks } from "../app/stack-order";
import { loadLandingZoneFile } from "../config/loader";
import { requiredTrustedAccess } from "../stacks/organization-stack";
import { findConfigIds, replaceConfigIds } from "./config-ids";
import type { Emulator } from "./emulator";
import { gapOverrides, type EmulatorGap } from "./emulator-gaps";
import { seedOrganization, type EmulatorConnection, type SeededOrganization } from "./organization-seed";
import { synthShippedConfig } from "./shipped-configs";
import { managedAddresses, prepareWorkspace, type StackWorkspace, type TerraformJson } from "./stack-workspace";
import { runTerraform } from "./terraform-cli";
import type { TerraformTools } from "./tools";

/**
 * The part of a rehearsal that every rehearsal run shares (the deploy rehearsal, the data-path test): seed the
 * organization each landing zone of a config expects, synthesize the config with the emulator's ids, and
 * `terraform apply` its stacks in deployment order. What comes after (second plan, plan guard, data, destroy)
 * is the caller's.
 */

export const REGION_OF_BOOTSTRAP = "us-east-1";
// Enabled by "someone else" before the first apply where the stack manages trusted access: it must survive.
export const FOREIGN_PRINCIPAL = "sso.amazonaws.com";

export interface LandingZoneRun {
  readonly name: string;
  readonly seeded: SeededOrganization;
  readonly manageTrustedAccess: boolean;
  readonly required: string[];
}

export interface AppliedConfig {
  readonly conn: EmulatorConnection;
  /** The rehearsed YAML files (the config with the emulator's ids). */
  readonly configDir: string;
  /** The synthesized output of the rehearsed config. */
  readonly outdir: string;
  readonly zones: readonly LandingZoneRun[];
  /** Every stack's workspace, in deployment order (also those left unapplied by `onlyStacks`). */
  readonly workspaces: readonly StackWorkspace[];
  /** The workspaces applied, in order. */
  readonly applied: readonly StackWorkspace[];
  readonly resources: number;
  readonly workedAround: { gap: string; address: string }[];
}

export interface ApplyOptions {
  readonly label: string;
  /** A YAML file or a folder of them. */
  readonly source: string;
  readonly scratch: string;
  /** Apply only the stacks this accepts (default: all); their order stays the deployment order. */
  readonly onlyStacks?: (stackName: string) => boolean;
  readonly log: (line: string) => void;
}

export function yamlFiles(source: string): string[] {
  if (!statSync(source).isDirectory()) return [source];
  return readdirSync(source)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort()
    .map((f) => path.join(source, f));
}

export async function stateList(tools: TerraformTools, ws: StackWorkspace): Promise<string[]> {
  const run = await runTerraform(tools, ws.dir, ["state", "list"], { okCodes: [0] });
  return managedAddresses(run.stdout);
}

export async function applyLandingZones(
  tools: TerraformTools,
  emulator: Emulator,
  gaps: readonly EmulatorGap[],
  options: ApplyOptions,
): Promise<AppliedConfig> {
  const { label, source, scratch, log } = options;
  const conn: EmulatorConnection = { endpoint: emulator.endpoint, agent: emulator.agent, region: REGION_OF_BOOTSTRAP };
  const configDir = path.join(scratch, "configs");
  mkdirSync(configDir, { recursive: true });

  // 1. The organization of each landing zone, then the config with the emulator's ids.
  const zones: LandingZoneRun[] = [];
  for (const file of yamlFiles(source)) {
    const text = readFileSync(file, "utf8");
    const lz = await loadLandingZoneFile(file);
    const required = requiredTrustedAccess(lz);
    const enabled = lz.organization.manageTrustedAccess ? [FOREIGN_PRINCIPAL] : [...new Set([...lz.organization.trustedAccess, ...required])];
    const seeded = await seedOrganization(conn, {
      managementAccountId: lz.managementAccountId,
      ids: findConfigIds(text),
      enabledTrustedAccess: enabled,
      deploymentRoleName: lz.deployment.roleName,
    });
    writeFileSync(path.join(configDir, path.basename(file)), replaceConfigIds(text, seeded.idMap));
    zones.push({ name: lz.name, seeded, manageTrustedAccess: lz.organization.manageTrustedAccess, required });
    log(`${label}: seeded organization ${seeded.organizationId} for ${lz.name} (${seeded.idMap.size} ids: ${[...seeded.idMap].map(([a, b]) => `${a}→${b}`).join(", ")})`);
  }
  const outdir = path.join(scratch, "synth");
  synthShippedConfig({ label, config: configDir }, outdir);
  const ordered = deploymentOrder(readManifestStacks(outdir));
  log(`${label}: synthesized ${ordered.length} stacks with the emulator's ids; order: ${ordered.map((s) => s.name).join(", ")}`);

  const workRoot = path.join(scratch, "work");
  const workedAround: { gap: string; address: string }[] = [];
  const workspaces = ordered.map((s) => {
    const zone = zones.find((z) => s.name.startsWith(`${z.name}-`));
    if (!zone) throw new Error(`stack ${s.name} belongs to no rehearsed landing zone`);
    const synthesized = path.join(outdir, s.workingDirectory);
    const cfg = JSON.parse(readFileSync(path.join(synthesized, "cdk.tf.json"), "utf8")) as TerraformJson;
    const { resources, worked } = gapOverrides(cfg, gaps);
    workedAround.push(...worked);
    return prepareWorkspace(synthesized, s.name, workRoot, {
      endpoint: emulator.providerEndpoint,
      caFile: emulator.caFile,
      credentials: zone.seeded.pipeline,
      resources,
    });
  });

  // 2. Apply in order.
  let resources = 0;
  const applied: StackWorkspace[] = [];
  for (const ws of workspaces) {
    if (options.onlyStacks && !options.onlyStacks(ws.name)) continue;
    await runTerraform(tools, ws.dir, ["init", "-input=false", "-no-color"]);
    const run = await runTerraform(tools, ws.dir, ["apply", "-auto-approve", "-input=false", "-no-color"]);
    const inState = await stateList(tools, ws);
    resources += inState.length;
    applied.push(ws);
    log(`${label}: applied ${ws.name}: ${inState.length} resources (${run.seconds.toFixed(0)} s)`);
  }
  return { conn, configDir, outdir, zones, workspaces, applied, resources, workedAround };
}
