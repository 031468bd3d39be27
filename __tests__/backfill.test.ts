import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { tmpdir } from "node:os";
import { gunzipSync } from "node:zlib";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { stringify } from "yaml";
import { buildProgram } from "../cli/index";
import { backfill, formatSummary, progressReporter, type BackfillProgress } from "../cli/commands/backfill";
import { BackfillPlanner, listingPrefixes } from "../reports/backfill-plan";
import { normalizedSourceKey } from "../reports/normalized-source";
import { reportTablesForPlans } from "../reports/report-tables";
import { templateSpec } from "../reports/templates";
import { exampleInput, landingZone } from "./helpers/landing-zone";
import { startS3rver, type S3Server } from "./helpers/s3rver";

const lz = landingZone({ reports: { ...exampleInput().reports, keyPrefixRoot: "org/reports" } });
const BUCKET = lz.reports.bucketName;

const pad = (n: number) => String(n).padStart(2, "0");
const reportKeys: string[] = [];
const otherKeys: string[] = [];
const bodies = new Map<string, string>();

function addReport(template: Parameters<typeof templateSpec>[0], day: number, part: number, body?: string): string {
  const plan = lz.reports.plans.find((p) => p.template === template)!;
  const spec = templateSpec(template);
  const date = new Date(Date.UTC(2026, 0, 1) + day * 86400000);
  const [y, m, d] = [String(date.getUTCFullYear()), pad(date.getUTCMonth() + 1), pad(date.getUTCDate())];
  const key =
    `${plan.keyPrefix}/Backup/crossaccount/crossregion/${y}/${m}/${d}/${plan.name}/` +
    `${spec.fileNamePrefix}${plan.name}_x_${y}-${m}-${d}t00:00:00z_${part}.csv`;
  reportKeys.push(key);
  // Header by name, one row per file: account and a per-file id.
  bodies.set(key, body ?? `"Account Id","Region","${spec.columns[5].header}"\r\n"444455556666","us-east-1","id-${day}-${part}"\r\n`);
  return key;
}

for (let i = 0; i < 12; i++) addReport("BACKUP_JOB_REPORT", i, 1);
for (const t of ["COPY_JOB_REPORT", "RESTORE_JOB_REPORT", "CONTROL_COMPLIANCE_REPORT", "RESOURCE_COMPLIANCE_REPORT"] as const) {
  for (let i = 0; i < 3; i++) addReport(t, i, 1);
}
addReport("BACKUP_JOB_REPORT", 0, 2); // a split report: second part
const BROKEN = addReport("BACKUP_JOB_REPORT", 20, 1, '"Account Id","Region"\n"1","x\n');
const BROKEN_TOO = addReport("COPY_JOB_REPORT", 20, 1, '"Account Id","Region"\n"1"\n');
const HEADER_ONLY = addReport("RESTORE_JOB_REPORT", 20, 1, '"Account Id","Region"\n');
otherKeys.push("org/reports/BackupJob/Backup/crossaccount/crossregion/2026/01/01/acme_prod_backup_job_report/manifest.json");
otherKeys.push("org/reports/CopyJob/Backup/crossaccount/crossregion/2026/02/30/acme_prod_copy_job_report/copy_job_report_x_1.csv");

let server: S3Server;
beforeAll(async () => {
  server = await startS3rver(BUCKET);
  for (const Key of [...reportKeys, ...otherKeys]) {
    await server.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: Buffer.from(bodies.get(Key) ?? "{}") }));
  }
  await server.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "Other/readme.csv", Body: Buffer.from("a\n") }));
}, 120000);
afterAll(async () => {
  await server?.stop();
});

/** The normalised copies (not their recorded sources). */
async function normalizedKeys(): Promise<string[]> {
  return (await listed("normalized/")).filter((k) => k.endsWith(".json.gz"));
}

async function listed(prefix: string): Promise<string[]> {
  const out = await server.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

describe("backfill against a real S3-protocol server", () => {
  test("a dry run lists what it would normalise and writes nothing", async () => {
    const summary = await backfill({ s3: server.s3 }, lz, { dryRun: true, pageSize: 7 });
    expect(summary).toMatchObject({ dryRun: true, objectsSeen: 30, reportFiles: 28, alreadyNormalized: 0, normalized: 28, failures: [] });
    expect(await normalizedKeys()).toEqual([]);
  });

  test("normalises every report without a twin, carries on past failures, lists them", async () => {
    const progress: BackfillProgress[] = [];
    const summary = await backfill({ s3: server.s3 }, lz, { pageSize: 7, onProgress: (p) => progress.push(p) });
    expect(summary).toMatchObject({
      landingZone: lz.name,
      bucket: BUCKET,
      normalizedPrefix: "normalized",
      prefixes: ["org/reports/BackupJob/", "org/reports/ControlCompliance/", "org/reports/CopyJob/", "org/reports/ResourceCompliance/", "org/reports/RestoreJob/"],
      objectsSeen: 30,
      reportFiles: 28,
      alreadyNormalized: 0,
      normalized: 25,
      rows: 25,
      skippedFiles: { "header-only": 1 },
      skippedByReason: { "not-csv": 1, "malformed-date": 1 },
    });
    expect(summary.failures.map((f) => f.key)).toEqual([BROKEN, BROKEN_TOO].sort());
    expect(summary.failures.find((f) => f.key === BROKEN)!.error).toMatch(/: line \d+: CSV_QUOTE_NOT_CLOSED/);
    expect(summary.failures.find((f) => f.key === BROKEN_TOO)!.error).toMatch(/: line 2: CSV_RECORD_INCONSISTENT_FIELDS_LENGTH/);
    const keys = await normalizedKeys();
    expect(keys).toHaveLength(25);
    expect(keys.some((k) => k.includes(HEADER_ONLY.split("/").pop()!.replace(".csv", "")))).toBe(false);
    // Each copy with its recorded source (the Lambda's code writes both).
    expect(await listed("normalized/_sources/")).toEqual(keys.map((k) => normalizedSourceKey(k, "normalized")).sort());
    // One normalised twin per report file, at the deterministic key, rows by name.
    const first = keys.find((k) => k.startsWith("normalized/backup_job_report/delivery_date=2026-01-01/") && k.endsWith("_1.json.gz"))!;
    const obj = await server.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: first }));
    const row = JSON.parse(gunzipSync(Buffer.from(await obj.Body!.transformToByteArray())).toString("utf8").split("\n")[0]);
    expect(row).toMatchObject({ account_id: "444455556666", region: "us-east-1", backup_job_id: "id-0-1", report_plan: "acme_prod_backup_job_report" });
    expect(progress.filter((p) => p.phase === "normalize")).toHaveLength(28);
    expect(progress.at(-1)).toMatchObject({ phase: "normalize", done: 28, total: 28 });
    const text = formatSummary(summary);
    expect(text).toContain("report files: 25 normalised (25 rows), 0 already normalised (use --force to redo them), 2 failed");
    expect(text).toContain(`failed (2):\n  ${[BROKEN, BROKEN_TOO].sort()[0]}: `);
  }, 60000);

  test("a second run only retries what has no twin; --force redoes everything", async () => {
    const again = await backfill({ s3: server.s3 }, lz);
    expect(again).toMatchObject({ reportFiles: 28, alreadyNormalized: 25, normalized: 0, skippedFiles: { "header-only": 1 } });
    expect(again.failures).toHaveLength(2);
    // A copy without its recorded source (written before the partitioner recorded it) is rewritten, with one.
    const [copy] = await normalizedKeys();
    const record = normalizedSourceKey(copy, "normalized");
    await server.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: record }));
    const upgrade = await backfill({ s3: server.s3 }, lz);
    expect(upgrade).toMatchObject({ alreadyNormalized: 24, normalized: 1 });
    expect(await listed(record)).toEqual([record]);
    const forced = await backfill({ s3: server.s3 }, lz, { force: true });
    expect(forced).toMatchObject({ force: true, alreadyNormalized: 0, normalized: 25 });
    expect(await normalizedKeys()).toHaveLength(25);
  }, 60000);

  test("a landing zone without analytics is refused", async () => {
    const noAnalytics = { ...lz, analytics: { ...lz.analytics, enabled: false } };
    await expect(backfill({ s3: server.s3 }, noAnalytics)).rejects.toThrow(/analytics is disabled/);
  });
});

describe("backup-audit backfill (commander, in-process)", () => {
  test("--config --endpoint --json prints the summary with the failures and exits 1", async () => {
    const configFile = path.join(tmpdir(), `backfill-lz-${process.pid}.yaml`);
    writeFileSync(configFile, stringify({ ...exampleInput(), reports: { ...exampleInput().reports, keyPrefixRoot: "org/reports" } }));
    const env = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = "S3RVER";
    process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
    let stdout = "";
    let stderr = "";
    const out = jest.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
    const err = jest.spyOn(process.stderr, "write").mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
    const exitCode = process.exitCode;
    try {
      const program = buildProgram();
      program.exitOverride();
      await program.parseAsync(["node", "backup-audit", "backfill", "--config", configFile, "--endpoint", server.endpoint, "--json"]);
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = exitCode;
      out.mockRestore();
      err.mockRestore();
      process.env = env;
      rmSync(configFile, { force: true });
    }
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ dryRun: false, reportFiles: 28, alreadyNormalized: 25 });
    expect(summary.failures.map((f: { key: string }) => f.key)).toEqual([BROKEN, BROKEN_TOO].sort());
    // Not a terminal: plain progress lines, no bar.
    expect(stderr).toContain("backfill: listing org/reports/BackupJob/: 15 objects");
    expect(stderr).toContain("backfill: normalised 3/3 report files");
  }, 60000);
});

describe("backfill planning (pure)", () => {
  test("nested prefixes are listed once; duplicates; two raw keys with one twin", () => {
    const tables = reportTablesForPlans([
      { template: "BACKUP_JOB_REPORT", keyPrefix: "reports" },
      { template: "COPY_JOB_REPORT", keyPrefix: "reports/copy" },
      { template: "RESTORE_JOB_REPORT", keyPrefix: "restore" },
    ]);
    expect(listingPrefixes(tables)).toEqual(["reports/", "restore/"]);
    const planner = new BackfillPlanner(tables, "normalized");
    const k = "reports/Backup/crossaccount/crossregion/2026/03/15/p/backup_job_report_p_a_b_1.csv";
    planner.add(k);
    planner.add(k);
    planner.add("reports/crossaccount/crossregion/2026/03/15/p/backup_job_report_p_a_b_1.csv");
    planner.add("reports/copy/Backup/crossaccount/crossregion/2026/03/15/p/copy_job_report_p_a_b_1.csv");
    expect(planner.objectsSeen).toBe(3);
    expect(planner.reportFiles).toBe(2);
    expect(planner.skipped.map((s) => s.reason)).toEqual(["normalized-key-conflict"]);
    const twin = "normalized/backup_job_report/delivery_date=2026-03-15/crossaccount.crossregion.p.backup_job_report_p_a_b_1.json.gz";
    expect(planner.toNormalize(new Set(), false).map((f) => f.normalizedKey)).toEqual([
      twin,
      "normalized/copy_job_report/delivery_date=2026-03-15/crossaccount.crossregion.p.copy_job_report_p_a_b_1.json.gz",
    ]);
    expect(planner.toNormalize(new Set([twin]), false)).toHaveLength(1);
    expect(planner.toNormalize(new Set([twin]), true)).toHaveLength(2);
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
    for (let i = 1; i <= 150; i++) p.onProgress({ phase: "normalize", key: `k${i}`, done: i, total: 150 });
    p.stop();
    expect(text()).toBe(
      "backfill: listing BackupJob/: 1000 objects\n" +
        "backfill: listing BackupJob/: 12000 objects\n" +
        "backfill: normalised 1/150 report files\n" +
        "backfill: normalised 101/150 report files\n" +
        "backfill: normalised 150/150 report files\n",
    );
  });

  test("a progress bar on a terminal", () => {
    const { stream, text } = fakeStream(true);
    const p = progressReporter(stream);
    p.onProgress({ phase: "list", prefix: "BackupJob/", objects: 10 });
    p.onProgress({ phase: "normalize", key: "BackupJob/x.csv", done: 3, total: 4 });
    p.stop();
    expect(text()).toContain("normalize |");
    expect(text()).toContain("3/4 BackupJob/x.csv");
  });
});
