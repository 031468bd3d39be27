import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { findNamedQuery, loadTrailQueries } from "../queries/catalog";
import { openLocalTrail, type LocalTrail } from "../queries/trail-logs";
import { TRAIL_TABLE_NAME } from "../queries/trail-table";

/** The AWS Backup event queries over the trail's logs, on the local engine with CloudTrail-shaped log files. */

const FIXTURE = path.join(__dirname, "fixtures", "trail");
const QUERIES = loadTrailQueries();
const A = "444455556666";
const B = "777788889999";

let work: string;
let trail: LocalTrail;

beforeAll(async () => {
  // As delivered: one file gzipped, one left as plain JSON.
  work = mkdtempSync(path.join(os.tmpdir(), "trail-"));
  cpSync(FIXTURE, work, { recursive: true });
  const plain = path.join(work, "AWSLogs/o-abc123def4", A, "CloudTrail/eu-west-1/2026/11/30", `${A}_CloudTrail_eu-west-1_20261130T0000Z_fixture.json`);
  writeFileSync(`${plain}.gz`, gzipSync(readFileSync(plain)));
  unlinkSync(plain);
  trail = await openLocalTrail(work);
});
afterAll(() => {
  trail?.close();
  rmSync(work, { recursive: true, force: true });
});

const run = (name: string, ...params: string[]) => trail.run(findNamedQuery(QUERIES, name), params);

test("the catalog holds the four trail queries, each reading cloudtrail_logs with a since_day parameter", () => {
  expect(QUERIES.map((q) => [q.name, q.tables, q.params.map((p) => p.name)])).toEqual([
    ["trail_jobs_completed_failed", [TRAIL_TABLE_NAME], ["since_day"]],
    ["trail_deleted_recovery_points", [TRAIL_TABLE_NAME], ["since_day"]],
    ["trail_vault_notification_policy_changes", [TRAIL_TABLE_NAME], ["since_day"]],
    ["trail_report_jobs", [TRAIL_TABLE_NAME], ["since_day"]],
  ]);
  expect(trail.records).toBe(13);
  expect(trail.files).toHaveLength(2);
});

test("jobs that completed with a failed state, from the service events, across accounts and days", async () => {
  expect(await run("trail_jobs_completed_failed", "2026/11/01")).toEqual([
    {
      account: B,
      region: "us-east-1",
      eventtime: "2026-11-28T01:00:00Z",
      eventname: "BackupJobCompleted",
      state: "EXPIRED",
      job_id: "job-failed-old",
      resource_arn: null,
      backup_vault_name: "Default",
      status_message: null,
    },
    {
      account: B,
      region: "us-east-1",
      eventtime: "2026-11-28T02:00:00Z",
      eventname: "RestoreCompleted",
      state: "FAILED",
      job_id: "restore-failed-1",
      resource_arn: null,
      backup_vault_name: null,
      status_message: "Target exists",
    },
    {
      account: A,
      region: "eu-west-1",
      eventtime: "2026-11-30T02:20:00Z",
      eventname: "BackupJobCompleted",
      state: "FAILED",
      job_id: "job-failed-1",
      resource_arn: `arn:aws:rds:eu-west-1:${A}:db:orders`,
      backup_vault_name: "Default",
      status_message: "Insufficient privileges",
    },
    {
      account: A,
      region: "eu-west-1",
      eventtime: "2026-11-30T03:00:00Z",
      eventname: "CopyJobCompleted",
      state: "ABORTED",
      job_id: "copy-aborted-1",
      resource_arn: `arn:aws:rds:eu-west-1:${A}:db:orders`,
      backup_vault_name: "Default",
      status_message: null,
    },
  ]);
  // The partition column prunes by delivery day, as projection does in Athena.
  expect((await run("trail_jobs_completed_failed", "2026/11/29")).map((r) => r.job_id)).toEqual(["job-failed-1", "copy-aborted-1"]);
});

test("deleted recovery points and who deleted them (a refused attempt keeps its error code)", async () => {
  const alice = `arn:aws:sts::${A}:assumed-role/BackupOperator/alice`;
  expect(await run("trail_deleted_recovery_points", "2026/11/01")).toEqual([
    {
      account: A,
      region: "eu-west-1",
      eventtime: "2026-11-30T04:00:00Z",
      eventname: "DeleteRecoveryPoint",
      recovery_point_arn: "arn:aws:ec2:eu-west-1::snapshot/snap-1",
      backup_vault_name: "Default",
      identity_type: "AssumedRole",
      deleted_by: alice,
      source_ip: "203.0.113.10",
      error_code: null,
    },
    {
      account: A,
      region: "eu-west-1",
      eventtime: "2026-11-30T04:05:00Z",
      eventname: "DeleteRecoveryPoint",
      recovery_point_arn: "arn:aws:ec2:eu-west-1::snapshot/snap-2",
      backup_vault_name: "Locked",
      identity_type: "AssumedRole",
      deleted_by: alice,
      source_ip: "203.0.113.10",
      error_code: "AccessDenied",
    },
    {
      account: A,
      region: "eu-west-1",
      eventtime: "2026-11-30T05:00:00Z",
      eventname: "BackupDeleted",
      recovery_point_arn: "arn:aws:ec2:eu-west-1::snapshot/snap-0",
      backup_vault_name: "Default",
      identity_type: null,
      deleted_by: "backup.amazonaws.com",
      source_ip: "backup.amazonaws.com",
      error_code: null,
    },
  ]);
});

test("vault notification and policy changes, and report jobs", async () => {
  expect(await run("trail_vault_notification_policy_changes", "2026/11/01")).toEqual([
    {
      account: A,
      region: "eu-west-1",
      eventtime: "2026-11-30T06:00:00Z",
      eventname: "PutBackupVaultNotifications",
      backup_vault_name: "Default",
      sns_topic_arn: `arn:aws:sns:eu-west-1:${A}:backup-events`,
      changed_by: `arn:aws:sts::${A}:assumed-role/BackupOperator/alice`,
      error_code: null,
    },
    {
      account: A,
      region: "eu-west-1",
      eventtime: "2026-11-30T06:30:00Z",
      eventname: "DeleteBackupVaultAccessPolicy",
      backup_vault_name: "Default",
      sns_topic_arn: null,
      changed_by: `arn:aws:sts::${A}:assumed-role/BackupOperator/alice`,
      error_code: null,
    },
  ]);
  expect((await run("trail_report_jobs", "2026/11/01")).map((r) => [r.account, r.eventname, r.report_job_id, r.state])).toEqual([
    [B, "ReportJobStarted", "rj-0", null],
    [A, "ReportJobCompleted", "rj-1", "COMPLETED"],
  ]);
});

test("a folder without log files, or a file that is not a log file, is a clear error", async () => {
  const empty = mkdtempSync(path.join(os.tmpdir(), "trail-empty-"));
  try {
    await expect(openLocalTrail(empty)).rejects.toThrow(/no CloudTrail log files/);
    const dir = path.join(empty, "AWSLogs", A, "CloudTrail", "eu-west-1", "2026", "11", "30");
    cpSync(FIXTURE, empty, { recursive: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "broken.json"), "{not json");
    await expect(openLocalTrail(empty)).rejects.toThrow(/broken\.json: not a CloudTrail log file/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
