import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { BackfillPlanner } from "../reports/backfill-plan";
import { normalizeReport } from "../reports/normalize";
import { parseReportKey } from "../reports/report-key";
import { defaultReportTables } from "../reports/report-tables";
import { allTemplateSpecs, templateSpec } from "../reports/templates";
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

/** A generated BACKUP_JOB_REPORT CSV of about `mb` MB (CRLF, every field quoted, some with commas and line breaks). */
export function generatedReport(mb: number): Readable {
  const header = templateSpec("BACKUP_JOB_REPORT").columns.map((c) => `"${c.header}"`).join(",") + "\r\n";
  const target = mb * 1024 * 1024;
  return Readable.from(
    (function* rows(): Generator<Buffer> {
      yield Buffer.from(header);
      let produced = header.length;
      for (let i = 0; produced < target; ) {
        let chunk = "";
        for (let n = 0; n < 500; n++, i++) {
          const account = `4444555566${String(i % 100).padStart(2, "0")}`;
          const message = i % 7 === 0 ? `"Backup job failed, retrying:\r\nthe ""vault"" was locked."` : '""';
          chunk +=
            `"2026-03-14T00:00:00Z","2026-03-15T00:00:00Z","r-ab12/ou-ab12-prod1111/${account}","${account}","us-east-1",` +
            `"3B1E6A0C-2F0D-4C55-9E7A-${String(i).padStart(12, "0")}","COMPLETED",${message},"EC2",` +
            `"arn:aws:ec2:us-east-1:${account}:instance/i-0a1b2c3d4e5f${i}","web-${i}",` +
            `"arn:aws:backup:us-east-1:${account}:backup-plan:orgs/4232272a","ab88bbf8-ff4e","2026-03-14T05:01:12Z",` +
            `"org-daily","DailyBackups","cron(0 5 ? * * *)","UTC","2026-03-14T06:00:00Z","{}","false","",` +
            `"2026-03-14T05:01:12.101Z","2026-03-14T05:31:45.201Z","2026-03-14T13:01:12.101Z",` +
            `"arn:aws:ec2:us-east-1::image/ami-0f1e2d3c${i}","00:18:42","32212254720","org-central-vault",` +
            `"arn:aws:backup:us-east-1:${account}:backup-vault:org-central-vault","BACKUP_VAULT","LOCKED","true",` +
            `"arn:aws:kms:us-east-1:${account}:key/1a2b","35","","false",` +
            `"arn:aws:iam::${account}:role/service-role/AWSBackupDefaultServiceRole"\r\n`;
        }
        produced += chunk.length;
        yield Buffer.from(chunk);
      }
    })(),
  );
}

const BENCH_KEY =
  "BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_plan/backup_job_report_org_plan_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.csv";

/** Normalises a generated report into a byte-counting sink. */
export async function normalizeGenerated(mb: number): Promise<{ bytesIn: number; ms: number; rows: number; bytesOut: number }> {
  const parsed = parseReportKey(BENCH_KEY, defaultReportTables());
  if (!parsed.ok) throw new Error(parsed.message);
  let bytesOut = 0;
  const start = performance.now();
  const outcome = await normalizeReport(generatedReport(mb), parsed, () => ({
    stream: new Writable({
      write(chunk: Buffer, _enc, done) {
        bytesOut += chunk.length;
        done();
      },
    }),
    commit: async () => undefined,
    abort: async () => undefined,
  }));
  const ms = performance.now() - start;
  if (outcome.kind !== "normalized") throw new Error(`bench report was skipped: ${outcome.reason}`);
  return { bytesIn: outcome.bytesIn, ms, rows: outcome.rows, bytesOut };
}

async function benchThroughput(): Promise<void> {
  await normalizeGenerated(8); // warm-up (JIT)
  const runs: number[] = [];
  let last = { bytesIn: 0, ms: 0, rows: 0, bytesOut: 0 };
  for (let r = 0; r < 3; r++) {
    const cpu0 = process.cpuUsage();
    last = await normalizeGenerated(50);
    const cpu = process.cpuUsage(cpu0);
    // Per core: MB over CPU seconds (zlib and the parser share the one JS thread; idle waits do not count).
    runs.push(last.bytesIn / 1048576 / ((cpu.user + cpu.system) / 1e6));
  }
  const median = runs.sort((a, b) => a - b)[1];
  console.log(
    `normaliser: ${(last.bytesIn / 1048576).toFixed(0)} MB CSV (${last.rows} rows) → ${(last.bytesOut / 1048576).toFixed(1)} MB ` +
      `gzip JSON Lines in ${(last.ms / 1000).toFixed(2)} s wall; median ${median.toFixed(1)} MB/s per core-second of CPU ` +
      `(runs ${runs.map((x) => x.toFixed(1)).join(", ")}; target ≥ 50 MB/s)`,
  );
}

/** Peak RSS of a fresh process normalising a 200 MB report, against the same process before it started. */
function benchMemory(): void {
  const script =
    `const b=require(${JSON.stringify(__filename)});` +
    `const base=process.memoryUsage().rss;let peak=base;const t=setInterval(()=>{peak=Math.max(peak,process.memoryUsage().rss)},5);` +
    `b.normalizeGenerated(200).then((r)=>{clearInterval(t);peak=Math.max(peak,process.memoryUsage().rss);` +
    `process.stdout.write(JSON.stringify({base,peak,bytesIn:r.bytesIn,ms:r.ms}))})`;
  const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })) as {
    base: number;
    peak: number;
    bytesIn: number;
    ms: number;
  };
  const mb = (n: number) => (n / 1048576).toFixed(1);
  console.log(
    `normaliser memory: ${mb(out.bytesIn)} MB report in ${(out.ms / 1000).toFixed(1)} s, baseline RSS ${mb(out.base)} MB ` +
      `(modules loaded), peak ${mb(out.peak)} MB → ${mb(out.peak - out.base)} MB above baseline (target ≤ 64 MB)`,
  );
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
  const keys = syntheticKeys(200_000);
  benchParse(keys);
  benchPlanning(keys);
  await benchThroughput();
  benchMemory();
  await benchBundle();
}

if (require.main === module) {
  bench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
