import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { createHandler, type PartitionerResult } from "../lambdas/partitioner/handler";
import { configFromEnv } from "../lambdas/partitioner/config";
import { REPORT_DRIFT_METRIC } from "../reports/drift-metric";
import { normalizedColumns } from "../reports/normalized-table";
import { normalizerFingerprint, parseNormalizedSource, type NormalizedSourceRecord } from "../reports/normalized-source";
import { defaultReportTables } from "../reports/report-tables";
import { FIXTURE_EVENT as fixtureEvent, FIXTURE_BUCKET as BUCKET, FIXTURE_KEY } from "./partitioner-fixtures";
import { startS3rver, type S3Server } from "./helpers/s3rver";

const FIXTURES = path.join(__dirname, "fixtures", "reports");
const FOLDER = "BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/";
const NORMALIZED_FOLDER = "normalized/backup_job_report/delivery_date=2026-03-15/";

let server: S3Server;
beforeAll(async () => {
  server = await startS3rver(BUCKET);
}, 60000);
afterAll(async () => {
  await server?.stop();
});

function eventFor(key: string, bucket = BUCKET): unknown {
  return { ...fixtureEvent, detail: { ...fixtureEvent.detail, bucket: { name: bucket }, object: { ...fixtureEvent.detail.object, key } } };
}

function setup() {
  const logger = new Logger({ serviceName: "test", logLevel: "SILENT" });
  const metrics = new Metrics({ namespace: REPORT_DRIFT_METRIC.namespace, serviceName: REPORT_DRIFT_METRIC.dimensions.service });
  const published: unknown[] = [];
  jest.spyOn(metrics, "publishStoredMetrics").mockImplementation(() => {
    published.push(metrics.serializeMetrics());
    metrics.clearMetrics();
    return metrics;
  });
  const logs = {
    info: jest.spyOn(logger, "info"),
    warn: jest.spyOn(logger, "warn"),
    debug: jest.spyOn(logger, "debug"),
    error: jest.spyOn(logger, "error"),
  };
  const config = configFromEnv({ REPORT_TABLES: JSON.stringify(defaultReportTables()), REPORTS_BUCKET: BUCKET });
  return { handler: createHandler({ s3: server.s3, logger, metrics, config }), logs, published };
}

async function put(key: string, body: string | Buffer): Promise<void> {
  await server.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from(body) }));
}

async function listKeys(prefix: string): Promise<string[]> {
  const out = await server.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

async function readObject(key: string): Promise<Buffer> {
  const out = await server.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function readRows(key: string): Promise<Array<Record<string, unknown>>> {
  const text = gunzipSync(await readObject(key)).toString("utf8");
  return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function readRecord(key: string): Promise<NormalizedSourceRecord> {
  const record = parseNormalizedSource((await readObject(key)).toString("utf8"));
  if (typeof record === "string") throw new Error(`${key}: ${record}`);
  return record;
}

const sha256 = (bytes: Buffer | string): string => createHash("sha256").update(bytes).digest("hex");

const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), "utf8");

describe("normaliser handler against a real S3-protocol server", () => {
  test("the fixture event: one normalised object at the deterministic key, rows by name, with lineage", async () => {
    await put(FIXTURE_KEY, fixture("BACKUP_JOB_REPORT.csv"));
    const { handler, logs, published } = setup();
    const result = await handler(fixtureEvent);
    const normalizedKey =
      `${NORMALIZED_FOLDER}crossaccount.crossregion.org_backup_job_report.` +
      "backup_job_report_org_backup_job_report_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.json.gz";
    const sourceRecordKey =
      "normalized/_sources/backup_job_report/delivery_date=2026-03-15/crossaccount.crossregion.org_backup_job_report." +
      "backup_job_report_org_backup_job_report_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.source.json";
    expect(result).toEqual<PartitionerResult>({
      outcome: "normalized",
      key: FIXTURE_KEY,
      template: "BACKUP_JOB_REPORT",
      tableName: "backup_job_report",
      normalizedKey,
      sourceRecordKey,
      rows: 10,
      headerSignature: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown as string,
    });
    const rows = await readRows(normalizedKey);
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual({
      report_time_period_start: "2026-03-14T00:00:00Z",
      report_time_period_end: "2026-03-15T00:00:00Z",
      path_to_root: "r-ab12/ou-ab12-prod1111/444455556666",
      account_id: "444455556666",
      region: "us-east-1",
      backup_job_id: "3B1E6A0C-2F0D-4C55-9E7A-0A1B2C3D4E01",
      job_status: "COMPLETED",
      status_message: "",
      resource_type: "EC2",
      resource_arn: "arn:aws:ec2:us-east-1:444455556666:instance/i-0a1b2c3d4e5f60701",
      backup_plan_arn: "arn:aws:backup:us-east-1:444455556666:backup-plan:orgs/4232272a-ed54-3a88-b1d0-ace894b6c201",
      backup_rule_id: "ab88bbf8-ff4e-4f1b-92e7-e13d3e65dc01",
      creation_date: "2026-03-14T05:01:12.101Z",
      completion_date: "2026-03-14T05:31:45.201Z",
      expected_completion_date: "2026-03-14T13:01:12.101Z",
      recovery_point_arn: "arn:aws:ec2:us-east-1::image/ami-0f1e2d3c4b5a69801",
      job_run_time: "00:18:42",
      backup_size_in_bytes: "32212254720",
      backup_vault_name: "org-central-vault",
      backup_vault_arn: "arn:aws:backup:us-east-1:444455556666:backup-vault:org-central-vault",
      iam_role_arn: "arn:aws:iam::444455556666:role/service-role/AWSBackupDefaultServiceRole",
      source_key: FIXTURE_KEY,
      delivery_scope: "crossaccount",
      delivery_region: "crossregion",
      report_plan: "org_backup_job_report",
      part_number: 1,
      header_signature: result.outcome === "normalized" ? result.headerSignature : "",
      unknown_columns: {},
    });
    // Every key of every row is a column of the table (Athena's JSON SerDe would ignore any other).
    const columns = new Set(normalizedColumns("BACKUP_JOB_REPORT").map((c) => c.name));
    for (const row of rows) for (const k of Object.keys(row)) expect(columns.has(k)).toBe(true);
    expect(logs.warn).not.toHaveBeenCalled();
    expect(published).toEqual([]);
    expect(logs.info).toHaveBeenCalledWith("report normalised", expect.objectContaining({ rows: 10, normalizedKey }));

    // The recorded source, beside the table folders: what was read (size, SHA-256, ETag of the raw object) and
    // what was written (the copy's size and SHA-256, rows), so that a synced folder can check both without AWS.
    const raw = Buffer.from(fixture("BACKUP_JOB_REPORT.csv"));
    const copy = await readObject(normalizedKey);
    const head = await server.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: FIXTURE_KEY }));
    const record = await readRecord(sourceRecordKey);
    expect(record).toEqual({
      format: "backup-audit-insights/normalized-source/1",
      source: { key: FIXTURE_KEY, bytes: raw.length, sha256: sha256(raw), etag: head.ETag },
      copy: { key: normalizedKey, bytes: copy.length, sha256: sha256(copy), rows: 10 },
      header: expect.objectContaining({ signature: rows[0].header_signature, newSignature: false, unknownHeaders: [] }),
      normalizer: normalizerFingerprint(),
    });
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await listKeys("normalized/")).toEqual([sourceRecordKey, normalizedKey]);

    // A retried / duplicated event rewrites the same objects: still one copy and one record, same rows.
    await handler(fixtureEvent);
    expect(await listKeys(NORMALIZED_FOLDER)).toEqual([normalizedKey]);
    expect(await readRows(normalizedKey)).toEqual(rows);
    expect(await readRecord(sourceRecordKey)).toEqual(record);
  });

  test("a raw object replaced under the same key gets a new copy and a record naming the new bytes", async () => {
    const key = `${FOLDER}backup_job_report_org_backup_job_report_2026-03-14t00:00:00z_2026-03-15t00:00:00z_7.csv`;
    const first = '"Account Id","Backup Job Id","Job Status"\n"000011112222","J1","RUNNING"\n';
    const second = '"Account Id","Backup Job Id","Job Status"\n"000011112222","J1","COMPLETED"\n"000011112222","J2","FAILED"\n';
    const { handler } = setup();
    await put(key, first);
    const a = await handler(eventFor(key));
    await put(key, second);
    const b = await handler(eventFor(key));
    if (a.outcome !== "normalized" || b.outcome !== "normalized") throw new Error("expected both normalised");
    expect(b.sourceRecordKey).toBe(a.sourceRecordKey);
    const record = await readRecord(b.sourceRecordKey);
    expect(record.source).toMatchObject({ bytes: Buffer.byteLength(second), sha256: sha256(second) });
    expect(record.copy).toMatchObject({ rows: 2, sha256: sha256(await readObject(b.normalizedKey)) });
  });

  test("enhanced-context layout: values land in their named columns, not by position", async () => {
    const key = `${FOLDER}backup_job_report_org_backup_job_report_2026-03-14t00:00:00z_2026-03-15t00:00:00z_2.csv`;
    await put(key, fixture("variants/BACKUP_JOB_REPORT.enhanced-context-UNCONFIRMED.csv"));
    const { handler, logs } = setup();
    const result = await handler(eventFor(key));
    expect(result).toMatchObject({ outcome: "normalized", rows: 10 });
    const rows = await readRows((result as { normalizedKey: string }).normalizedKey);
    const failed = rows.find((r) => r.backup_job_id === "3B1E6A0C-2F0D-4C55-9E7A-0A1B2C3D4E03")!;
    expect(failed).toMatchObject({
      job_status: "FAILED",
      region: "eu-west-1",
      status_message: "Backup job failed because the IAM role does not have permission to call rds:CreateDBSnapshot.",
      resource_name: "orders-db",
      vault_lock_status: "LOCKED",
      backup_plan_name: "org-daily-35d",
      part_number: 2,
      unknown_columns: {},
    });
    // Columns the layout lacks are absent (NULL), never shifted in.
    expect(failed).not.toHaveProperty("path_to_root");
    expect(failed).not.toHaveProperty("expected_completion_date");
    expect(logs.warn).not.toHaveBeenCalled();
  });

  test("an unknown header in the middle is kept in unknown_columns, logged as drift and counted", async () => {
    const key = `${FOLDER}backup_job_report_org_backup_job_report_2026-03-14t00:00:00z_2026-03-15t00:00:00z_3.csv`;
    await put(
      key,
      '"Account Id","Backup Job Id","Shiny New Column","Job Status"\r\n"000011112222","J1","a, ""b""\r\nc","COMPLETED"\r\n',
    );
    const { handler, logs, published } = setup();
    const result = await handler(eventFor(key));
    expect(result).toMatchObject({ outcome: "normalized", rows: 1 });
    const [row] = await readRows((result as { normalizedKey: string }).normalizedKey);
    expect(row).toMatchObject({
      account_id: "000011112222",
      backup_job_id: "J1",
      job_status: "COMPLETED",
      unknown_columns: { "Shiny New Column": 'a, "b"\r\nc' },
    });
    expect(logs.warn).toHaveBeenCalledWith(
      "new report header signature: headers not in the header table",
      expect.objectContaining({ key, unknownHeaders: ["Shiny New Column"], headerSignature: expect.any(String) }),
    );
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: REPORT_DRIFT_METRIC.namespace,
            Dimensions: [["service"]],
            Metrics: [{ Name: REPORT_DRIFT_METRIC.metricName, Unit: REPORT_DRIFT_METRIC.unit }],
          },
        ],
      },
      service: REPORT_DRIFT_METRIC.dimensions.service,
      [REPORT_DRIFT_METRIC.metricName]: 1,
    });
  });

  test("a single-account report (no Account Id column) gets account and Region from its key", async () => {
    const key =
      "BackupJob/Backup/444455556666/eu-west-1/2026/03/15/acct_plan/backup_job_report_acct_plan_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.csv";
    await put(key, '\uFEFF"Backup Job Id","Job Status"\n"J9","FAILED"\n');
    const { handler } = setup();
    const result = await handler(eventFor(key));
    const [row] = await readRows((result as { normalizedKey: string }).normalizedKey);
    expect(row).toMatchObject({
      backup_job_id: "J9",
      account_id: "444455556666",
      region: "eu-west-1",
      delivery_scope: "444455556666",
      delivery_region: "eu-west-1",
      report_plan: "acct_plan",
    });
    expect((result as { normalizedKey: string }).normalizedKey).toBe(
      "normalized/backup_job_report/delivery_date=2026-03-15/444455556666.eu-west-1.acct_plan." +
        "backup_job_report_acct_plan_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.json.gz",
    );
  });

  test.each([
    ["empty", "", "empty-file"],
    ["whitespace", "\uFEFF \r\n", "empty-file"],
    ["json", '{"reportItems": []}', "json-content"],
    ["header-only", '"Account Id","Backup Job Id"\r\n', "header-only"],
  ])("a %s file is skipped with its reason and writes nothing", async (name, body, reason) => {
    const folder = `BackupJob/Backup/crossaccount/crossregion/2026/04/0${name.length % 9}/skip_${name.replace("-", "_")}/`;
    const key = `${folder}backup_job_report_skip_1.csv`;
    await put(key, body);
    const { handler, logs } = setup();
    expect(await handler(eventFor(key))).toEqual({ outcome: "skipped", key, reason, message: expect.stringContaining(key) });
    expect(logs.info).toHaveBeenCalledWith("report file skipped", expect.objectContaining({ key, reason }));
    expect(await listKeys(`normalized/backup_job_report/delivery_date=2026-04-0${name.length % 9}/`)).toEqual([]);
    expect(await listKeys(`normalized/_sources/backup_job_report/delivery_date=2026-04-0${name.length % 9}/`)).toEqual([]);
  });

  test("a file with no known header is skipped and counted as drift", async () => {
    const key = "BackupJob/Backup/crossaccount/crossregion/2026/04/10/odd/backup_job_report_odd_1.csv";
    await put(key, '"a","b"\n"1","2"\n');
    const { handler, logs, published } = setup();
    expect(await handler(eventFor(key))).toMatchObject({ outcome: "skipped", reason: "no-known-columns" });
    expect(logs.warn).toHaveBeenCalledWith(
      "report header names no known column: file skipped",
      expect.objectContaining({ key, unknownHeaders: ["a", "b"] }),
    );
    expect(published).toHaveLength(1);
  });

  test("an unparseable CSV fails the invocation with the line number and publishes nothing", async () => {
    const key = "BackupJob/Backup/crossaccount/crossregion/2026/04/11/bad/backup_job_report_bad_1.csv";
    const good = Array.from({ length: 10000 }, (_, i) => `"J${i}","COMPLETED"`).join("\n");
    // A quote inside a quoted field that is neither doubled nor closing, on line 10002 (after enough rows that
    // output already started).
    await put(key, `"Backup Job Id","Job Status"\n${good}\n"J-x","COMP"LETED"\n"J-y","FAILED"\n`);
    const { handler, logs } = setup();
    await expect(handler(eventFor(key))).rejects.toThrow(
      `${key}: line 10002: CSV_INVALID_CLOSING_QUOTE: a quoted field starting here has a quote followed by neither a delimiter, ` +
        "a line break nor another quote; the file is not valid CSV (RFC 4180)",
    );
    expect(logs.error).toHaveBeenCalledWith("report normalisation failed", expect.objectContaining({ key, outcome: "failed" }));
    expect(await listKeys("normalized/backup_job_report/delivery_date=2026-04-11/")).toEqual([]);
    expect(await listKeys("normalized/_sources/backup_job_report/delivery_date=2026-04-11/")).toEqual([]);
  });

  test("a row with a different field count fails with its line", async () => {
    const key = "BackupJob/Backup/crossaccount/crossregion/2026/04/12/short/backup_job_report_short_1.csv";
    await put(key, '"Backup Job Id","Job Status"\n"J1","COMPLETED"\n"J2"\n');
    const { handler } = setup();
    await expect(handler(eventFor(key))).rejects.toThrow(/: line 3: CSV_RECORD_INCONSISTENT_FIELDS_LENGTH/);
    expect(await listKeys("normalized/backup_job_report/delivery_date=2026-04-12/")).toEqual([]);
  });

  test("non-report objects and foreign events are ignored without any S3 call", async () => {
    const { handler, logs } = setup();
    expect(await handler(eventFor(`${FOLDER}manifest.json`))).toEqual({ outcome: "ignored-key", key: `${FOLDER}manifest.json`, reason: "not-csv" });
    // The normalised copies themselves (an empty key prefix would route them here).
    expect(await handler(eventFor(`${NORMALIZED_FOLDER}x.json.gz`))).toMatchObject({ outcome: "ignored-key", reason: "not-csv" });
    expect(await handler(eventFor("BackupJob/Backup/crossaccount/crossregion/2026/13/01/p/backup_job_report_p_1.csv"))).toMatchObject({
      outcome: "ignored-key",
      reason: "malformed-date",
    });
    expect(logs.warn).toHaveBeenCalledWith("ignoring CSV under a report prefix with an unexpected key layout", expect.anything());
    expect(await handler(eventFor(FIXTURE_KEY, "other-bucket"))).toMatchObject({ outcome: "ignored-event" });
    expect(await handler({ source: "aws.ec2" })).toMatchObject({ outcome: "ignored-event" });
  });

  test("a missing object fails the invocation (retried, then the DLQ)", async () => {
    const key = "BackupJob/Backup/crossaccount/crossregion/2026/04/13/gone/backup_job_report_gone_1.csv";
    const { handler } = setup();
    await expect(handler(eventFor(key))).rejects.toThrow(/NoSuchKey|does not exist/);
  });
});

describe("configFromEnv", () => {
  test("requires REPORT_TABLES and a normalised prefix apart from the report prefixes", () => {
    expect(() => configFromEnv({})).toThrow("REPORT_TABLES is not set");
    const tables = JSON.stringify(defaultReportTables());
    expect(configFromEnv({ REPORT_TABLES: tables }).normalizedPrefix).toBe("normalized");
    expect(() => configFromEnv({ REPORT_TABLES: tables, NORMALIZED_PREFIX: "BackupJob/normalized" })).toThrow(
      'NORMALIZED_PREFIX: normalised prefix "BackupJob/normalized" overlaps the report prefix "BackupJob"',
    );
    expect(() => configFromEnv({ REPORT_TABLES: tables, NORMALIZED_PREFIX: "/x/" })).toThrow(/without leading or trailing/);
  });
});
