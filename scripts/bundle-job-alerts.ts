import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { PROJECT_ROOT } from "../app/project-root";
import { writeDeploymentPackage } from "../lambdas/deployment-package";
import { bundleOptions } from "./bundle-partitioner";

/**
 * Bundles the job-alerts Lambda (lambdas/job-alerts/index.ts → lambdas/job-alerts/dist/index.js and its zip, handler
 * `index.handler`) with the partitioner's esbuild options: the SNS client bundled at the tested version,
 * deterministic bytes, the file rewritten only when they change (Terraform's hash stays stable).
 */
export const JOB_ALERTS_ENTRY = path.join(PROJECT_ROOT, "lambdas", "job-alerts", "index.ts");
export const JOB_ALERTS_OUTFILE = path.join(PROJECT_ROOT, "lambdas", "job-alerts", "dist", "index.js");
export const JOB_ALERTS_PACKAGE_FILE = path.join(PROJECT_ROOT, "lambdas", "job-alerts", "dist", "job-alerts.zip");

export async function bundleJobAlerts(): Promise<Buffer> {
  const result = await build({ ...bundleOptions(false), entryPoints: [JOB_ALERTS_ENTRY] });
  const out = result.outputFiles?.[0];
  if (out === undefined) throw new Error("esbuild produced no output for the job-alerts function");
  return Buffer.from(out.contents);
}

async function main(): Promise<void> {
  const bundled = await bundleJobAlerts();
  mkdirSync(path.dirname(JOB_ALERTS_OUTFILE), { recursive: true });
  const unchanged = existsSync(JOB_ALERTS_OUTFILE) && readFileSync(JOB_ALERTS_OUTFILE).equals(bundled);
  if (!unchanged) writeFileSync(JOB_ALERTS_OUTFILE, bundled);
  const zip = writeDeploymentPackage(JOB_ALERTS_PACKAGE_FILE, bundled);
  // stderr: `npm pack --json` runs this in prepack, and its stdout must be only the JSON.
  console.error(`job-alerts bundle ${path.relative(PROJECT_ROOT, JOB_ALERTS_OUTFILE)}: ${bundled.length} bytes${unchanged ? ", unchanged" : ""}; package ${zip.length} bytes`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
