import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import {
  BatchCreatePartitionCommand,
  BatchGetPartitionCommand,
  GetTableCommand,
  GlueClient,
  type BatchCreatePartitionCommandInput,
  type BatchGetPartitionCommandInput,
} from "@aws-sdk/client-glue";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { stringify } from "yaml";
import { buildProgram } from "../cli/index";
import { backfill, formatSummary, progressReporter, type BackfillProgress } from "../cli/commands/backfill";
import { BackfillPlanner, listingPrefixes } from "../reports/backfill-plan";
import { reportTablesForPlans } from "../reports/report-tables";
import { templateSpec } from "../reports/templates";
import { exampleInput, landingZone } from "./helpers/landing-zone";

/**
 * s3rver runs in a child process: its ListObjectsV2 continuation tokens use DES, which Node's OpenSSL 3 only
 * offers with --openssl-legacy-provider (a process-start flag). The server itself is unmodified.
 */
const S3RVER_CHILD = `
const S3rver = require(${JSON.stringify(require.resolve("s3rver"))});
const [dir, bucket] = process.argv.slice(1);
const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
server.run().then((a) => process.stdout.write(JSON.stringify({ port: a.port }) + "\\n"));
process.on("SIGTERM", () => server.close().then(() => process.exit(0), () => process.exit(1)));
// Never outlive the test worker, even if it dies before afterAll.
setInterval(() => { try { process.kill(process.ppid, 0); } catch { process.exit(0); } }, 1000).unref();
`;

function startS3rver(dir: string, bucket: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--openssl-legacy-provider", "-e", S3RVER_CHILD, dir, bucket], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`s3rver exited early with ${code}`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n")) resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    });
  });
}

const lz = landingZone({ reports: { ...exampleInput().reports, keyPrefixRoot: "org/reports" } });
const BUCKET = lz.reports.bucketName;
const DATABASE = lz.analytics.databaseName;

const pad = (n: number) => String(n).padStart(2, "0");

/** Expected partitions, computed from the generator (not from the parser under test). */
const expected = new Map<string, Set<string>>(); // table → "values joined by /" set
const reportKeys: string[] = [];
const otherKeys: string[] = [];

function addReport(template: Parameters<typeof templateSpec>[0], scope: string, region: string, date: Date, part: number) {
  const plan = lz.reports.plans.find((p) => p.template === template)!;
  const spec = templateSpec(template);
  const y = String(date.getUTCFullYear());
  const m = pad(date.getUTCMonth() + 1);
  const d = pad(date.getUTCDate());
  const prev = new Date(date.getTime() - 86400000).toISOString().slice(0, 10);
  const file = `${spec.fileNamePrefix}${plan.name}_${prev}t00:00:00z_${y}-${m}-${d}t00:00:00z_${part}.csv`;
  reportKeys.push(`${plan.keyPrefix}/Backup/${scope}/${region}/${y}/${m}/${d}/${plan.name}/${file}`);
  const set = expected.get(spec.tableName) ?? new Set<string>();
  set.add([scope, region, y, m, d, plan.name].join("/"));
  expected.set(spec.tableName, set);
}

const day = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 86400000);
// BACKUP_JOB_REPORT: 90 days × 2 delivery folders → 180 partitions (more than one Glue batch).
for (let i = 0; i < 90; i++) {
  addReport("BACKUP_JOB_REPORT", "crossaccount", "crossregion", day(i), 1);
  addReport("BACKUP_JOB_REPORT", "444455556666", "eu-west-1", day(i), 1);
}
// The other templates: 20 days, a second part file every third day (same partition).
for (const template of ["COPY_JOB_REPORT", "RESTORE_JOB_REPORT", "CONTROL_COMPLIANCE_REPORT", "RESOURCE_COMPLIANCE_REPORT"] as const) {
  for (let i = 0; i < 20; i++) {
    addReport(template, "crossaccount", "crossregion", day(i), 1);
    if (i % 3 === 0) addReport(template, "crossaccount", "crossregion", day(i), 2);
  }
}
// Non-report objects under the prefixes (listed, skipped) and outside them (never listed).
for (let i = 0; i < 10; i++) {
  otherKeys.push(`org/reports/BackupJob/Backup/crossaccount/crossregion/2026/01/${pad(i + 1)}/acme_prod_backup_job_report/manifest.json`);
}
otherKeys.push("org/reports/CopyJob/Backup/crossaccount/crossregion/2026/02/30/acme_prod_copy_job_report/copy_job_report_x_1.csv");
otherKeys.push("org/reports/CopyJob/README.txt");
const outside = ["Other/Backup/crossaccount/crossregion/2026/01/01/p/backup_job_report_p_1.csv", "org/readme.csv"];

const glueMock = mockClient(GlueClient);
/** The mocked catalog: partitions that "exist" per table. */
let catalog: Map<string, Set<string>>;
let createBatches: Array<{ table: string; size: number }>;

function resetGlue(preExisting: Array<[string, string]>) {
  catalog = new Map();
  for (const [table, values] of preExisting) {
    const set = catalog.get(table) ?? new Set<string>();
    set.add(values);
    catalog.set(table, set);
  }
  createBatches = [];
  glueMock.reset();
  glueMock.on(GetTableCommand).callsFake((input: { Name: string }) => ({
    Table: {
      Name: input.Name,
      StorageDescriptor: { Location: `s3://${BUCKET}/x/`, SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.serde2.OpenCSVSerde" } },
    },
  }));
  glueMock.on(BatchGetPartitionCommand).callsFake((input: BatchGetPartitionCommandInput) => {
    if (input.PartitionsToGet!.length > 100) throw new Error("BatchGetPartition over 100");
    const set = catalog.get(input.TableName!) ?? new Set();
    return { Partitions: input.PartitionsToGet!.filter((p) => set.has(p.Values!.join("/"))).map((p) => ({ Values: p.Values })) };
  });
  glueMock.on(BatchCreatePartitionCommand).callsFake((input: BatchCreatePartitionCommandInput) => {
    if (input.PartitionInputList!.length > 100) throw new Error("BatchCreatePartition over 100");
    createBatches.push({ table: input.TableName!, size: input.PartitionInputList!.length });
    const set = catalog.get(input.TableName!) ?? new Set<string>();
    catalog.set(input.TableName!, set);
    for (const p of input.PartitionInputList!) {
      const values = p.Values!;
      // The location must be the report-plan folder of the same values.
      expect(p.StorageDescriptor!.Location).toMatch(new RegExp(`^s3://${BUCKET}/org/reports/[A-Za-z]+/Backup/${values.join("/")}/$`));
      expect(p.StorageDescriptor!.SerdeInfo!.SerializationLibrary).toBe("org.apache.hadoop.hive.serde2.OpenCSVSerde");
      set.add(values.join("/"));
    }
    return { Errors: [] };
  });
}

let server: ChildProcess | undefined;
let dir: string;
let s3: S3Client;
let endpoint: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "backfill-s3rver-"));
  const started = await startS3rver(dir, BUCKET);
  server = started.child;
  endpoint = `http://127.0.0.1:${started.port}`;
  s3 = new S3Client({
    region: "us-east-1",
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const all = [...reportKeys, ...otherKeys, ...outside];
  for (let i = 0; i < all.length; i += 25) {
    await Promise.all(
      all.slice(i, i + 25).map((Key) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: '"Account Id"\n"1"\n' }))),
    );
  }
}, 120000);

afterAll(async () => {
  s3?.destroy();
  if (server !== undefined && server.exitCode === null) {
    const child = server;
    child.removeAllListeners("exit");
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  }
  rmSync(dir, { recursive: true, force: true });
});

const glue = () => new GlueClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });

describe("backfill against a real S3-protocol server", () => {
  test("fixture sanity: a few hundred keys with `:`", () => {
    expect(reportKeys.length + otherKeys.length).toBeGreaterThanOrEqual(300);
    expect(reportKeys.every((k) => k.includes(":"))).toBe(true);
  });

  test("creates exactly the missing partitions, in batches of ≤ 100, and summarises", async () => {
    // Two partitions exist already (e.g. created by the Lambda).
    const pre: Array<[string, string]> = [
      ["backup_job_report", "crossaccount/crossregion/2026/01/01/acme_prod_backup_job_report"],
      ["copy_job_report", "crossaccount/crossregion/2026/01/02/acme_prod_copy_job_report"],
    ];
    resetGlue(pre);
    const progress: BackfillProgress[] = [];
    const summary = await backfill({ s3, glue: glue() }, lz, { pageSize: 50, onProgress: (p) => progress.push(p) });

    const expectedTotal = [...expected.values()].reduce((n, s) => n + s.size, 0);
    expect(expectedTotal).toBe(180 + 4 * 20);
    expect(summary).toMatchObject({
      landingZone: lz.name,
      bucket: BUCKET,
      database: DATABASE,
      dryRun: false,
      objectsSeen: reportKeys.length + otherKeys.length,
      reportFiles: reportKeys.length,
      partitionsFound: expectedTotal,
      partitionsCreated: expectedTotal - 2,
      partitionsAlreadyPresent: 2,
      skippedByReason: { "not-csv": 11, "malformed-date": 1 },
    });
    expect(summary.prefixes).toEqual([
      "org/reports/BackupJob/",
      "org/reports/ControlCompliance/",
      "org/reports/CopyJob/",
      "org/reports/ResourceCompliance/",
      "org/reports/RestoreJob/",
    ]);
    expect(summary.skippedKeys.map((s) => s.key).sort()).toEqual([...otherKeys].sort());
    expect(summary.tables.find((t) => t.tableName === "backup_job_report")).toEqual({
      tableName: "backup_job_report",
      template: "BACKUP_JOB_REPORT",
      partitionsFound: 180,
      alreadyPresent: 1,
      created: 179,
    });

    // The catalog now holds exactly the expected partitions.
    for (const [table, set] of expected) expect([...(catalog.get(table) ?? [])].sort()).toEqual([...set].sort());
    expect([...catalog.keys()].sort()).toEqual([...expected.keys()].sort());
    expect(createBatches.every((b) => b.size <= 100)).toBe(true);
    expect(createBatches.filter((b) => b.table === "backup_job_report").map((b) => b.size)).toEqual([100, 79]);
    const gets = glueMock.commandCalls(BatchGetPartitionCommand).map((c) => c.args[0].input.PartitionsToGet!.length);
    expect(gets.filter((n) => n > 100)).toEqual([]);
    expect(gets.reduce((a, b) => a + b, 0)).toBe(expectedTotal);
    expect(progress.some((p) => p.phase === "list" && p.objects === summary.objectsSeen)).toBe(true);
    // 190 objects under BackupJob/ at 50 per page: continuation tokens were followed.
    expect(progress.filter((p) => p.phase === "list" && p.prefix === "org/reports/BackupJob/")).toHaveLength(4);
    expect(progress.filter((p) => p.phase === "create")).toHaveLength(5);

    const text = formatSummary(summary);
    expect(text).toContain(`objects seen: ${summary.objectsSeen} (report files: ${reportKeys.length}, skipped: 12)`);
    expect(text).toContain(`partitions: 260 found, 258 created, 2 already present`);
    expect(text).toContain("skipped keys by reason: malformed-date 1, not-csv 11");

    // Re-running is idempotent: everything is present now, nothing is created.
    const before = createBatches.length;
    const again = await backfill({ s3, glue: glue() }, lz);
    expect(again.partitionsCreated).toBe(0);
    expect(again.partitionsAlreadyPresent).toBe(expectedTotal);
    expect(createBatches.length).toBe(before);
  }, 60000);

  test("--dry-run creates nothing and reports what it would create", async () => {
    resetGlue([["restore_job_report", "crossaccount/crossregion/2026/01/05/acme_prod_restore_job_report"]]);
    const summary = await backfill({ s3, glue: glue() }, lz, { dryRun: true });
    expect(glueMock.commandCalls(BatchCreatePartitionCommand)).toHaveLength(0);
    expect(glueMock.commandCalls(GetTableCommand)).toHaveLength(0);
    expect(summary.dryRun).toBe(true);
    expect(summary.partitionsCreated).toBe(259);
    expect(summary.partitionsAlreadyPresent).toBe(1);
    expect(formatSummary(summary)).toContain("259 to create (dry run)");
  }, 60000);
});

describe("backfill planning (pure)", () => {
  test("nested prefixes are listed once; duplicates and location conflicts", () => {
    const tables = reportTablesForPlans([
      { template: "BACKUP_JOB_REPORT", keyPrefix: "reports" },
      { template: "COPY_JOB_REPORT", keyPrefix: "reports/copy" },
      { template: "RESTORE_JOB_REPORT", keyPrefix: "restore" },
    ]);
    expect(listingPrefixes(tables)).toEqual(["reports/", "restore/"]);
    const planner = new BackfillPlanner(tables, "b");
    const k = "reports/Backup/crossaccount/crossregion/2026/03/15/p/backup_job_report_p_a_b_1.csv";
    planner.add(k);
    planner.add(k);
    planner.add("reports/crossaccount/crossregion/2026/03/15/p/backup_job_report_p_a_b_1.csv");
    planner.add("reports/copy/Backup/crossaccount/crossregion/2026/03/15/p/copy_job_report_p_a_b_1.csv");
    expect(planner.objectsSeen).toBe(3);
    expect(planner.partitionCount).toBe(2);
    expect(planner.skipped.map((s) => s.reason)).toEqual(["location-conflict"]);
    expect(planner.partitionsByTable().map((t) => [t.tableName, t.partitions[0].location])).toEqual([
      ["backup_job_report", "s3://b/reports/Backup/crossaccount/crossregion/2026/03/15/p/"],
      ["copy_job_report", "s3://b/reports/copy/Backup/crossaccount/crossregion/2026/03/15/p/"],
    ]);
  });
});

describe("backup-audit backfill (commander, in-process)", () => {
  test("--config --endpoint --dry-run --json prints the summary and creates nothing", async () => {
    resetGlue([]);
    const configFile = path.join(dir, "..", `${path.basename(dir)}-lz.yaml`);
    writeFileSync(configFile, stringify({ ...exampleInput(), reports: { ...exampleInput().reports, keyPrefixRoot: "org/reports" } }));
    const env = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = "S3RVER";
    process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
    let stdout = "";
    let stderr = "";
    const out = jest.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
    const err = jest.spyOn(process.stderr, "write").mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
    try {
      const program = buildProgram();
      program.exitOverride();
      await program.parseAsync(["node", "backup-audit", "backfill", "--config", configFile, "--endpoint", endpoint, "--dry-run", "--json"]);
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.env = env;
      rmSync(configFile, { force: true });
    }
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ dryRun: true, objectsSeen: 300, reportFiles: 288, partitionsFound: 260, partitionsCreated: 260 });
    expect(glueMock.commandCalls(BatchCreatePartitionCommand)).toHaveLength(0);
    // Not a terminal: plain progress lines, no bar.
    expect(stderr).toContain("backfill: listing org/reports/BackupJob/: 190 objects");
    expect(stderr).toContain("backfill: check backup_job_report: 180/180 partitions");
  }, 60000);
});

describe("backfill errors", () => {
  test("a missing Glue table names the table; nothing is created", async () => {
    resetGlue([]);
    glueMock.on(BatchGetPartitionCommand).rejects(Object.assign(new Error("Table backup_job_report not found."), { name: "EntityNotFoundException" }));
    await expect(backfill({ s3, glue: glue() }, lz)).rejects.toThrow(
      "Glue table backup_reports.backup_job_report: EntityNotFoundException: Table backup_job_report not found.",
    );
    expect(glueMock.commandCalls(BatchCreatePartitionCommand)).toHaveLength(0);
  }, 60000);

  test("a landing zone without analytics is refused", async () => {
    const noAnalytics = { ...lz, analytics: { ...lz.analytics, enabled: false } };
    await expect(backfill({ s3, glue: glue() }, noAnalytics)).rejects.toThrow(/analytics is disabled/);
  });
});

describe("backfill progress on stderr", () => {
  function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
    let out = "";
    const stream = {
      isTTY,
      columns: 100,
      write: (chunk: string) => ((out += chunk), true),
      cursorTo: (x: number) => ((out += `<col ${x}>`), true),
      clearLine: () => true,
      moveCursor: () => true,
      on: () => stream,
      removeListener: () => stream,
    };
    return { stream: stream as unknown as NodeJS.WriteStream, text: () => out };
  }

  test("plain lines when stderr is not a terminal", () => {
    const { stream, text } = fakeStream(false);
    const p = progressReporter(stream);
    p.onProgress({ phase: "list", prefix: "BackupJob/", objects: 1000 });
    p.onProgress({ phase: "list", prefix: "BackupJob/", objects: 2000 });
    p.onProgress({ phase: "list", prefix: "BackupJob/", objects: 12000 });
    p.onProgress({ phase: "create", tableName: "backup_job_report", done: 5, total: 5 });
    p.stop();
    expect(text()).toBe(
      "backfill: listing BackupJob/: 1000 objects\n" +
        "backfill: listing BackupJob/: 12000 objects\n" +
        "backfill: create backup_job_report: 5/5 partitions\n",
    );
  });

  test("a progress bar on a terminal", () => {
    const { stream, text } = fakeStream(true);
    const p = progressReporter(stream);
    p.onProgress({ phase: "list", prefix: "BackupJob/", objects: 10 });
    p.onProgress({ phase: "check", tableName: "backup_job_report", done: 3, total: 4 });
    p.stop();
    expect(text()).toContain("check |");
    expect(text()).toContain("3/4 backup_job_report");
  });
});
