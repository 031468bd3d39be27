import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { GlueClient } from "@aws-sdk/client-glue";
import { Logger } from "@aws-lambda-powertools/logger";
import { createHandler } from "../lambdas/partitioner/handler";
import { BackfillPlanner } from "../reports/backfill-plan";
import { parseReportKey } from "../reports/report-key";
import { defaultReportTables } from "../reports/report-tables";
import { allTemplateSpecs } from "../reports/templates";
import { PROJECT_ROOT } from "../app/project-root";
import { bundlePartitioner, formatKiB } from "../scripts/bundle-partitioner";

/**
 * Partitioner figures: key parsing, handler throughput (CPU side, Glue answered in-process), backfill planning and
 * the Lambda bundle size / cold require time with and without the AWS SDK bundled.
 * Targets (docs/ingestion.md): handler ≥ 5,000 events/s, bundle ≤ 150 KB without the SDK.
 */

const BUCKET = "acme-org-backup-reports-111122223333";

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

/** Glue answered in-process: the figure is the handler's own CPU cost (parse, SDK command build, logging). */
function fakeGlue(): GlueClient {
  const send = async (command: { constructor: { name: string } }): Promise<unknown> => {
    if (command.constructor.name === "GetTableCommand") {
      return { Table: { StorageDescriptor: { Location: `s3://${BUCKET}/`, SerdeInfo: {}, Columns: [] } } };
    }
    return { Errors: [] };
  };
  return { send } as unknown as GlueClient;
}

async function benchHandler(events: number): Promise<void> {
  const logger = new Logger({ serviceName: "bench", logLevel: "INFO" });
  const handler = createHandler({
    glue: fakeGlue(),
    logger,
    config: { database: "backup_reports", tables: defaultReportTables(), reportsBucket: BUCKET },
  });
  const keys = syntheticKeys(events).slice(0, events);
  const event = (key: string) => ({
    version: "0",
    source: "aws.s3",
    "detail-type": "Object Created",
    detail: { bucket: { name: BUCKET }, object: { key: key.replace(/:/g, "%3A"), size: 1 } },
  });
  // Structured logs are part of the cost: formatted as usual, written to a sink instead of the terminal.
  const write = process.stdout.write.bind(process.stdout);
  let logBytes = 0;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    logBytes += chunk.length;
    return true;
  }) as typeof process.stdout.write;
  let ms: number;
  try {
    for (let i = 0; i < 500; i++) await handler(event(keys[i % keys.length])); // warm-up
    const start = performance.now();
    for (const key of keys) await handler(event(key));
    ms = performance.now() - start;
  } finally {
    process.stdout.write = write;
  }
  console.log(`handler: ${events} events in ${ms.toFixed(0)} ms → ${rate(events, ms)} (target ≥ 5,000/s; ${Math.round(logBytes / (events + 500))} log bytes/event)`);
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
  const planner = new BackfillPlanner(defaultReportTables(), BUCKET);
  for (const key of keys) planner.add(key);
  const tables = planner.partitionsByTable();
  const ms = performance.now() - start;
  console.log(
    `backfill planning: ${keys.length} keys → ${planner.partitionCount} partitions in ${tables.length} tables, ` +
      `${ms.toFixed(0)} ms → ${rate(keys.length, ms)} (no network)`,
  );
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
  console.log(`bundle, AWS SDK bundled (deployed): ${bundled.length} bytes (${formatKiB(bundled.length)}), cold require ${coldRequireMs(bundledFile).toFixed(0)} ms`);
  console.log(
    `bundle, @aws-sdk/* external: ${external.length} bytes (${formatKiB(external.length)}; target ≤ 150 KB), ` +
      `cold require ${coldRequireMs(externalFile).toFixed(0)} ms (SDK from node_modules)`,
  );
}

export async function bench(): Promise<void> {
  const keys = syntheticKeys(200_000);
  benchParse(keys);
  benchPlanning(keys);
  await benchHandler(20_000);
  await benchBundle();
}

if (require.main === module) {
  bench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
