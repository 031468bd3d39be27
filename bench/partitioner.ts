import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BackfillPlanner } from "../reports/backfill-plan";
import { parseReportKey } from "../reports/report-key";
import { defaultReportTables } from "../reports/report-tables";
import { allTemplateSpecs } from "../reports/templates";
import { PROJECT_ROOT } from "../app/project-root";
import { bundlePartitioner, formatKiB } from "../scripts/bundle-partitioner";

/**
 * Partitioner (normaliser) figures: key parsing, backfill planning, normaliser throughput (MB of CSV per CPU
 * second), peak memory on a 200 MB report (fresh process), and the bundle's size and cold start.
 * Targets (docs/ingestion.md): ≥ 50 MB/s, ≤ 64 MB above the baseline, bundle ≤ 150 KB without the SDK.
 */

function syntheticKeys(n: number): string[] {
  const specs = allTemplateSpecs();
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const spec = specs[i % specs.length];
    const date = new Date(Date.UTC(2024, 0, 1) + (i % 1500) * 86400000).toISOString().slice(0, 10);
    const [y, m, d] = date.split("-");
    const scope = i % 3 === 0 ? "444455556666" : "crossaccount";
    const region = i % 4 === 0 ? "eu-west-1" : "crossregion";
    // Every key distinct: day from i % 1500, part from the next digit, plan from the rest.
    const plan = `org_${spec.tableName}_${Math.floor(i / 15000)}`;
    const part = (Math.floor(i / 1500) % 10) + 1;
    keys.push(
      `${spec.defaultKeyPrefix}/Backup/${scope}/${region}/${y}/${m}/${d}/${plan}/` +
        `${spec.fileNamePrefix}${plan}_${date}t00:00:00z_${date}t00:00:00z_${part}.csv`,
    );
  }
  // A few non-report objects, as in a real bucket.
  for (let i = 0; i < n / 50; i++) keys.push(`BackupJob/Backup/crossaccount/crossregion/2026/03/${String((i % 28) + 1).padStart(2, "0")}/p/manifest.json`);
  return keys;
}

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString("en-US")}/s`;
}

function benchParse(keys: string[]): void {
  const tables = defaultReportTables();
  for (let i = 0; i < 5000; i++) parseReportKey(keys[i % keys.length], tables);
  const start = performance.now();
  let ok = 0;
  for (const key of keys) if (parseReportKey(key, tables).ok) ok++;
  const ms = performance.now() - start;
  console.log(`parseReportKey: ${keys.length} keys (${ok} reports) in ${ms.toFixed(0)} ms → ${rate(keys.length, ms)}`);
}

function benchPlanning(keys: string[]): void {
  const start = performance.now();
  const planner = new BackfillPlanner(defaultReportTables(), "normalized");
  for (const key of keys) planner.add(key);
  const todo = planner.toNormalize(new Set(), false);
  const ms = performance.now() - start;
  console.log(
    `backfill planning: ${keys.length} keys → ${todo.length} report files to normalise, ${ms.toFixed(0)} ms → ${rate(keys.length, ms)} (no network)`,
  );
}

/** Runs one of bench/normalizer-runs.ts's figures in a fresh process (nothing but the normaliser loaded, as in the Lambda). */
function freshProcess(figure: "throughput" | "memory"): string {
  return execFileSync(process.execPath, [path.join(__dirname, "normalizer-runs.js"), figure], { encoding: "utf8" }).trim();
}

/** Cold start of the deployed bundle: fresh process, require, first invocation (an ignored event, no network). */
function coldStartMs(file: string): { requireMs: number; firstInvokeMs: number } {
  const env = { ...process.env, REPORT_TABLES: JSON.stringify(defaultReportTables()), POWERTOOLS_LOG_LEVEL: "SILENT", AWS_REGION: "us-east-1" };
  const script =
    `const t=process.hrtime.bigint();const m=require(${JSON.stringify(file)});const r=Number(process.hrtime.bigint()-t)/1e6;` +
    `const u=process.hrtime.bigint();` +
    `m.handler({source:"aws.s3","detail-type":"Object Created",detail:{bucket:{name:"b"},object:{key:"x/manifest.json"}}})` +
    `.then(()=>process.stdout.write(JSON.stringify({r,i:Number(process.hrtime.bigint()-u)/1e6})))`;
  const runs = [0, 1, 2, 3, 4].map(
    () =>
      JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8", env, stdio: ["ignore", "pipe", "ignore"] })) as {
        r: number;
        i: number;
      },
  );
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[2];
  return { requireMs: median(runs.map((x) => x.r)), firstInvokeMs: median(runs.map((x) => x.i)) };
}

/** Median wall time of `node -e require(file)` in a fresh process: a proxy for the Lambda init cost. */
function coldRequireMs(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const runs = [0, 1, 2, 3, 4].map(() =>
    Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })),
  );
  return runs.sort((a, b) => a - b)[2];
}

async function benchBundle(): Promise<void> {
  const bundled = await bundlePartitioner(false);
  const external = await bundlePartitioner(true);
  // Written under .cache/ (git-ignored), inside the project so that the external variant resolves node_modules.
  const dir = path.join(PROJECT_ROOT, ".cache", "partitioner-bench");
  mkdirSync(dir, { recursive: true });
  const bundledFile = path.join(dir, "bundled.js");
  const externalFile = path.join(dir, "external-sdk.js");
  writeFileSync(bundledFile, bundled);
  writeFileSync(externalFile, external);
  const cold = coldStartMs(bundledFile);
  console.log(
    `bundle, AWS SDK bundled (deployed): ${bundled.length} bytes (${formatKiB(bundled.length)}), cold start (fresh ` +
      `process, median of 5): require ${cold.requireMs.toFixed(0)} ms + first invocation ${cold.firstInvokeMs.toFixed(0)} ms`,
  );
  console.log(
    `bundle, @aws-sdk/* external: ${external.length} bytes (${formatKiB(external.length)}; target ≤ 150 KB), ` +
      `cold require ${coldRequireMs(externalFile).toFixed(0)} ms (SDK from node_modules)`,
  );
}

export async function bench(): Promise<void> {
  console.log(freshProcess("throughput"));
  // Three fresh processes: the peak moves with the garbage collector's timing.
  for (let r = 0; r < 3; r++) console.log(freshProcess("memory"));
  const keys = syntheticKeys(200_000);
  benchParse(keys);
  benchPlanning(keys);
  await benchBundle();
}

if (require.main === module) {
  bench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
