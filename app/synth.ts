import { App } from "cdktf";
import { existsSync } from "node:fs";
import path from "node:path";
import type { NormalizedLandingZone } from "../config/types";
import type { Violation } from "../policies/gate";
import { loadNamedQueries, loadTrailQueries, queriesForPlans } from "../queries/catalog";
import { buildLandingZoneStacks } from "../stacks/landing-zone";
import { PROJECT_ROOT } from "./project-root";
import { discardScratchDir, makeScratchDir, promoteScratchDir, readSynthesizedStacks } from "./output-dir";

export interface SynthGates {
  /** Policies on the normalised configs; runs before any stack is constructed. */
  config(lzs: NormalizedLandingZone[]): Promise<Violation[]>;
  /** Policies on the synthesized Terraform JSON, keyed by stack name. */
  terraform(stacks: Record<string, unknown>): Promise<Violation[]>;
}

export interface SynthOptions {
  /** Final output folder (cdktf.out). */
  outdir: string;
  gates: SynthGates;
  /** Progress lines (stdout in main.ts: the cdktf CLI labels stderr as errors). */
  log?: (line: string) => void;
  /** Partitioner deployment package; default the one `npm run build:lambda` writes. */
  partitionerPackage?: string;
  /** Job-alerts formatter package; default the one `npm run build:lambda` writes. */
  jobAlertsPackage?: string;
  queriesDir?: string;
}

export type SynthOutcome =
  | { ok: true; stacks: string[]; outdir: string }
  | { ok: false; stage: "config-policies" | "terraform-policies"; violations: Violation[] };

/** Default location of the partitioner deployment package written by `npm run build:lambda`. */
export const PARTITIONER_PACKAGE = path.join(PROJECT_ROOT, "lambdas", "partitioner", "dist", "partitioner.zip");

/** Throws unless the partitioner deployment package exists (the analytics stack's Lambda code). */
export function requirePartitionerPackage(file: string): void {
  if (!existsSync(file)) throw new Error(`partitioner package missing at ${file}: run \`npm run build\` first`);
}

/** Default location of the job-alerts formatter package written by `npm run build:lambda`. */
export const JOB_ALERTS_PACKAGE = path.join(PROJECT_ROOT, "lambdas", "job-alerts", "dist", "job-alerts.zip");

/** Throws unless the job-alerts formatter package exists (needed by landing zones with `alerts.jobs`). */
export function requireJobAlertsPackage(file: string): void {
  if (!existsSync(file)) throw new Error(`job-alerts package missing at ${file}: run \`npm run build\` first`);
}

/**
 * The whole synth: gate → stacks in a scratch folder → post-synth policies → promote. Nothing is written to
 * `outdir` unless every check passes.
 */
export async function synthesizeLandingZones(lzs: NormalizedLandingZone[], options: SynthOptions): Promise<SynthOutcome> {
  const log = options.log ?? (() => undefined);
  const partitionerPackage = options.partitionerPackage ?? PARTITIONER_PACKAGE;

  log(`policy gate: checking ${lzs.length} landing zone(s)`);
  const configViolations = await options.gates.config(lzs);
  if (configViolations.length > 0) return { ok: false, stage: "config-policies", violations: configViolations };

  if (lzs.some((lz) => lz.analytics.enabled)) requirePartitionerPackage(partitionerPackage);
  const jobAlertsPackage = options.jobAlertsPackage ?? JOB_ALERTS_PACKAGE;
  if (lzs.some((lz) => lz.alerts.jobs !== null)) requireJobAlertsPackage(jobAlertsPackage);
  const namedQueries = loadNamedQueries(options.queriesDir);
  const trailQueries = loadTrailQueries(options.queriesDir);

  const scratch = await makeScratchDir(options.outdir);
  try {
    const app = new App({ outdir: scratch });
    for (const lz of lzs) {
      buildLandingZoneStacks(app, lz, {
        partitionerPackage,
        jobAlertsPackage,
        namedQueries: queriesForPlans(namedQueries, lz.reports.plans),
        trailQueries,
      });
    }
    app.synth();
    const stacks = await readSynthesizedStacks(scratch);
    log(`post-synth checks: ${Object.keys(stacks).length} stack(s)`);
    const tfViolations = await options.gates.terraform(stacks);
    if (tfViolations.length > 0) {
      await discardScratchDir(scratch);
      return { ok: false, stage: "terraform-policies", violations: tfViolations };
    }
    const { keptOrphans } = await promoteScratchDir(scratch, options.outdir);
    for (const stack of keptOrphans) {
      log(`stack ${stack} is no longer synthesized; its folder is kept because it holds files synth did not write (state, .terraform)`);
    }
    return { ok: true, stacks: Object.keys(stacks), outdir: path.resolve(options.outdir) };
  } catch (err) {
    await discardScratchDir(scratch);
    throw err;
  }
}
