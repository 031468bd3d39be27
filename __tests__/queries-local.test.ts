import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findNamedQuery, loadNamedQueries, type NamedQuery } from "../queries/catalog";
import { LocalReportsError, openLocalReports, type Cell, type LocalReports, type Row } from "../queries/local-engine";
import { NEW_JOB, buildTestBucket, csvHeader, csvLine, reportKey } from "./queries-fixture-bucket";

// One DuckDB instance for the whole file (start-up ~1.5 s); every named query runs against one bucket copy.
let bucket: string;
let reports: LocalReports;
const queries = loadNamedQueries();
const tested = new Set<string>();

beforeAll(async () => {
  bucket = buildTestBucket();
  reports = await openLocalReports(bucket);
});

afterAll(async () => {
  await reports?.close();
  if (bucket) fs.rmSync(bucket, { recursive: true, force: true });
});

function rows(columns: readonly string[], values: ReadonlyArray<readonly Cell[]>): Row[] {
  return values.map((v) => {
    if (v.length !== columns.length) throw new Error(`expected row has ${v.length} values for ${columns.length} columns`);
    return Object.fromEntries(columns.map((c, i) => [c, v[i]]));
  });
}

async function expectQuery(name: string, params: string[], columns: string[], values: Cell[][]): Promise<void> {
  tested.add(name);
  const result = await reports.query(findNamedQuery(queries, name), params);
  expect(result.columns).toEqual(columns);
  expect(result.rows).toEqual(rows(columns, values));
}

const E = (n: string): string => `3B1E6A0C-2F0D-4C55-9E7A-0A1B2C3D4E${n}`;

describe("loading a bucket copy", () => {
  test("normalises every report file with the Lambda's normaliser; one table per template, delivery_date from the key", () => {
    const summary = reports.files.map((f) => [f.key.split("/")[2], f.tableName, f.deliveryDate, f.rows]);
    expect(summary).toEqual([
      ["BackupJob", "backup_job_report", "2026-03-15", 10],
      ["BackupJob", "backup_job_report", "2026-03-16", 4],
      ["BackupJob", "backup_job_report", "2026-03-16", 1],
      ["BackupJob", "backup_job_report", "2026-03-16", 1],
      ["ControlCompliance", "control_compliance_report", "2026-03-15", 12],
      ["ControlCompliance", "control_compliance_report", "2026-03-16", 12],
      ["CopyJob", "copy_job_report", "2026-03-15", 6],
      ["CopyJob", "copy_job_report", "2026-03-16", 2],
      ["ResourceCompliance", "resource_compliance_report", "2026-03-15", 8],
      ["ResourceCompliance", "resource_compliance_report", "2026-03-16", 9],
      ["RestoreJob", "restore_job_report", "2026-03-15", 5],
      ["RestoreJob", "restore_job_report", "2026-03-16", 1],
    ]);
    expect(reports.files[0].normalizedKey).toBe(
      "normalized/backup_job_report/delivery_date=2026-03-15/crossaccount.crossregion.org_plan." +
        "backup_job_report_org_plan_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.json.gz",
    );
  });

  test("warns about skipped files", () => {
    expect(reports.warnings).toEqual([
      "audit/reports/BackupJob/backup_job_report_stray.csv: skipped: expected <prefix>/Backup/<scope>/<region>/YYYY/MM/DD/<plan>/<file>.csv",
      "notes/accounts.csv: skipped: neither the file name nor a folder names a report template",
    ]);
  });

  test("lineage columns and the delivery_date partition, as the Glue table declares them", async () => {
    const q: NamedQuery = {
      name: "lineage",
      description: "test",
      params: [],
      sql:
        "SELECT delivery_date, delivery_scope, delivery_region, report_plan, part_number, source_key, " +
        "cardinality(unknown_columns) AS unknown, path_to_root, resource_name " +
        "FROM backup_job_report WHERE backup_job_id = '" + NEW_JOB.n04 + "'",
      file: "inline",
      tables: ["backup_job_report"],
    };
    expect(await reports.run(q, [])).toEqual([
      {
        delivery_date: "2026-03-16",
        delivery_scope: "crossaccount",
        delivery_region: "crossregion",
        report_plan: "org_plan",
        part_number: 3,
        source_key: reportKey("BACKUP_JOB_REPORT", "2026-03-16", "org_plan", 3),
        unknown: 0,
        path_to_root: "r-ab12/ou-ab12-prod1111/444455556666",
        // An enhanced-context column the file has, empty: '' (a column the file lacks would be NULL).
        resource_name: "",
      },
    ]);
  });

  test("empty fields read as empty strings, account ids keep leading zeros", async () => {
    const q: NamedQuery = {
      name: "zeros",
      description: "test",
      params: [],
      sql: "SELECT DISTINCT account_id, status_message FROM backup_job_report WHERE backup_job_id = '" + NEW_JOB.n02 + "'",      file: "inline",
      tables: ["backup_job_report"],
    };
    expect(await reports.run(q, [])).toEqual([{ account_id: "000011112222", status_message: "" }]);
  });
});

describe("the walkthrough's six queries", () => {
  test("non_compliant_controls_in_region: latest state per control; fixed controls drop out", async () => {
    const cols = ["account_id", "region", "framework_name", "control_name", "resources_non_compliant", "resources_compliant", "last_evaluation_time"];
    await expectQuery("non_compliant_controls_in_region", ["us-east-1"], cols, [
      ["444455556666", "us-east-1", "org_backup_baseline", "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", 1, 14, "2026-03-15T02:12:56.102Z"],
      ["444455556666", "us-east-1", "org_backup_baseline", "BACKUP_RECOVERY_POINT_ENCRYPTED", 1, 29, "2026-03-16T02:14:56.104Z"],
      ["444455556666", "us-east-1", "org_backup_baseline", "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", 4, 21, "2026-03-15T02:13:56.103Z"],
      ["444455556666", "us-east-1", "org_backup_baseline", "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", 3, 2, "2026-03-15T02:16:56.106Z"],
      ["999900001111", "us-east-1", "org_backup_baseline", "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", 5, 0, "2026-03-16T02:30:00.000Z"],
    ]);
    await expectQuery("non_compliant_controls_in_region", ["eu-west-1"], cols, [
      ["777788889999", "eu-west-1", "org_backup_baseline", "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", 4, 16, "2026-03-15T02:18:56.108Z"],
      ["777788889999", "eu-west-1", "org_backup_baseline", "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", 2, 23, "2026-03-15T02:19:56.109Z"],
      ["777788889999", "eu-west-1", "org_backup_baseline", "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", 1, 9, "2026-03-15T02:17:56.107Z"],
      ["777788889999", "eu-west-1", "org_backup_baseline", "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK", 3, 37, "2026-03-15T02:21:56.111Z"],
      // BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION failed on 03-15 but the 03-16 snapshot no longer lists it.
    ]);
    await expectQuery("non_compliant_controls_in_region", ["ap-south-1"], cols, []);
  });

  test("non_compliant_controls_in_ou: path from the job reports, OU matched as a whole path segment", async () => {
    const cols = ["path_to_root", "account_id", "region", "framework_name", "control_name", "resources_non_compliant"];
    const p4 = "r-ab12/ou-ab12-prod1111/444455556666";
    const p7 = "r-ab12/ou-ab12-prod1111/777788889999";
    const fw = "org_backup_baseline";
    await expectQuery("non_compliant_controls_in_ou", ["ou-ab12-prod1111"], cols, [
      [p4, "444455556666", "us-east-1", fw, "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", 1],
      [p4, "444455556666", "us-east-1", fw, "BACKUP_RECOVERY_POINT_ENCRYPTED", 1],
      [p4, "444455556666", "us-east-1", fw, "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", 4],
      [p4, "444455556666", "us-east-1", fw, "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", 3],
      [p7, "777788889999", "eu-west-1", fw, "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", 4],
      [p7, "777788889999", "eu-west-1", fw, "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", 2],
      [p7, "777788889999", "eu-west-1", fw, "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", 1],
      [p7, "777788889999", "eu-west-1", fw, "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK", 3],
    ]);
    await expectQuery("non_compliant_controls_in_ou", ["ou-ab12-sec33333"], cols, [
      ["r-ab12/ou-ab12-sec33333/999900001111", "999900001111", "us-east-1", fw, "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", 5],
    ]);
    // A prefix of an OU id is not that OU.
    await expectQuery("non_compliant_controls_in_ou", ["ou-ab12-prod111"], cols, []);
  });

  test("non_compliant_resources_for_control: a resource fixed in, or missing from, the latest snapshot drops out", async () => {
    const cols = ["account_id", "region", "framework_name", "resource_type", "resource_id", "last_evaluation_time"];
    // orders-db (eu-west-1) is COMPLIANT on 03-16; the EFS file system failing on 03-15 is no longer listed.
    await expectQuery("non_compliant_resources_for_control", ["BACKUP_LAST_RECOVERY_POINT_CREATED"], cols, [
      ["999900001111", "us-east-1", "org_backup_baseline", "AWS::EC2::Volume", "AWS::EC2::Volume/vol-0999", "2026-03-16T02:31:00.000Z"],
    ]);
    await expectQuery("non_compliant_resources_for_control", ["BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK"], cols, [
      ["123412341234", "us-east-1", "org_backup_baseline", "AWS::RDS::DBCluster", "AWS::RDS::DBCluster/billing-aurora", "2026-03-15T02:27:40.907Z"],
    ]);
  });

  test("failed_backup_jobs_in_region: one row per job, latest state (RUNNING → FAILED counts once)", async () => {
    const cols = ["account_id", "region", "backup_job_id", "job_status", "status_message", "resource_type", "resource_arn", "backup_vault_name", "creation_date", "completion_date"];
    await expectQuery("failed_backup_jobs_in_region", ["us-east-1"], cols, [
      ["777788889999", "us-east-1", E("05"), "EXPIRED", "Backup job expired because it did not start within the start window.", "EFS", "arn:aws:elasticfilesystem:us-east-1:777788889999:file-system/fs-0a1b2c3d4e5f60705", "org-central-vault", "2026-03-14T05:05:12.105Z", "2026-03-14T05:35:45.205Z"],
      ["123412341234", "us-east-1", E("07"), "FAILED", "Backup job failed because the cluster was stopped.", "Aurora", "arn:aws:rds:us-east-1:123412341234:cluster:billing-aurora", "org-central-vault", "2026-03-14T05:07:12.107Z", "2026-03-15T01:07:12.107Z"],
      ["123412341234", "us-east-1", E("08"), "ABORTED", "Backup job was stopped by the user.", "EC2", "arn:aws:ec2:us-east-1:123412341234:instance/i-0a1b2c3d4e5f60708", "org-central-vault", "2026-03-14T05:08:12.108Z", "2026-03-14T05:38:45.208Z"],
      ["999900001111", "us-east-1", NEW_JOB.n01, "FAILED", "Backup job failed because the backup vault does not exist.", "EBS", "arn:aws:ec2:us-east-1:999900001111:volume/vol-0999", "org-central-vault", "2026-03-15T05:00:00.000Z", "2026-03-15T05:01:00.000Z"],
    ]);
    await expectQuery("failed_backup_jobs_in_region", ["eu-west-1"], cols, [
      ["444455556666", "eu-west-1", E("03"), "FAILED", "Backup job failed because the IAM role does not have permission to call rds:CreateDBSnapshot.", "RDS", "arn:aws:rds:eu-west-1:444455556666:db:orders-db", "org-central-vault", "2026-03-14T05:03:12.103Z", "2026-03-14T05:33:45.203Z"],
      ["444455556666", "eu-west-1", NEW_JOB.n04, "FAILED", "Backup job failed because the snapshot limit was exceeded.", "EBS", "arn:aws:ec2:eu-west-1:444455556666:volume/vol-0444", "org-central-vault", "2026-03-15T05:04:00.000Z", "2026-03-15T05:05:00.000Z"],
    ]);
  });

  test("failed_restore_jobs_in_region", async () => {
    const cols = ["account_id", "region", "restore_job_id", "job_status", "resource_name", "source_resource_arn", "recovery_point_arn", "percent_done", "creation_date"];
    await expectQuery("failed_restore_jobs_in_region", ["eu-west-1"], cols, [
      ["777788889999", "eu-west-1", "4CACA67D-4E12-DC05-6C2B-0E97D01FA403", "FAILED", "acme-analytics-raw-777788889999", "arn:aws:s3:::acme-analytics-raw-777788889999", "arn:aws:backup:eu-west-1:777788889999:recovery-point:s3-acme-analytics-raw-20260314", "12.50%", "2026-03-14T10:23:05.503Z"],
      ["123412341234", "eu-west-1", "4CACA67D-4E12-DC05-6C2B-0E97D01FA404", "ABORTED", "win-app-09", "arn:aws:ec2:eu-west-1:123412341234:instance/i-0a1b2c3d4e5f60709", "arn:aws:ec2:eu-west-1::image/ami-0f1e2d3c4b5a69809", "41.00%", "2026-03-14T10:24:05.504Z"],
    ]);
    await expectQuery("failed_restore_jobs_in_region", ["us-east-1"], cols, []);
  });

  test("aborted_copy_jobs_in_region: read from the copy job report", async () => {
    const cols = ["account_id", "region", "copy_job_id", "job_status", "resource_type", "resource_arn", "source_backup_vault_arn", "destination_backup_vault_arn", "creation_date", "completion_date"];
    await expectQuery("aborted_copy_jobs_in_region", ["us-east-1"], cols, [
      ["777788889999", "us-east-1", "E0AD48A9-0560-B668-3EF0-941FDC0AD603", "FAILED", "DynamoDB", "arn:aws:dynamodb:us-east-1:777788889999:table/sessions", "arn:aws:backup:us-east-1:777788889999:backup-vault:org-central-vault", "arn:aws:backup:us-east-1:999900001111:backup-vault:org-dr-vault", "2026-03-14T06:13:02.403Z", "2026-03-14T07:13:33.303Z"],
      ["000011112222", "us-east-1", NEW_JOB.copyC1, "ABORTED", "EFS", "arn:aws:elasticfilesystem:us-east-1:000011112222:file-system/fs-0big", "arn:aws:backup:us-east-1:000011112222:backup-vault:org-central-vault", "arn:aws:backup:us-west-2:000011112222:backup-vault:org-dr-vault", "2026-03-15T08:00:00.000Z", "2026-03-15T08:10:00.000Z"],
    ]);
    await expectQuery("aborted_copy_jobs_in_region", ["eu-west-1"], cols, [
      ["777788889999", "eu-west-1", "E0AD48A9-0560-B668-3EF0-941FDC0AD604", "PARTIAL", "S3", "arn:aws:s3:::acme-analytics-raw-777788889999", "arn:aws:backup:eu-west-1:777788889999:backup-vault:org-central-vault", "arn:aws:backup:eu-central-1:777788889999:backup-vault:org-dr-vault", "2026-03-14T06:14:02.404Z", "2026-03-15T02:14:02.404Z"],
    ]);
  });
});

describe("a backup owner's daily queries", () => {
  test("backup_job_success_rate_by_account_day: deduplicated, finished jobs only", async () => {
    await expectQuery(
      "backup_job_success_rate_by_account_day",
      [],
      ["account_id", "job_day", "finished_jobs", "completed_jobs", "unsuccessful_jobs", "success_rate_pct"],
      [
        ["000011112222", "2026-03-15", 2, 2, 0, 100],
        ["111122223333", "2026-03-14", 1, 1, 0, 100],
        ["123412341234", "2026-03-14", 3, 1, 2, 33.3],
        ["444455556666", "2026-03-14", 3, 2, 1, 66.7],
        ["444455556666", "2026-03-15", 1, 0, 1, 0],
        ["777788889999", "2026-03-14", 3, 2, 1, 66.7],
        ["999900001111", "2026-03-15", 1, 0, 1, 0],
      ],
    );
  });

  test("resources_failing_controls_across_accounts", async () => {
    await expectQuery(
      "resources_failing_controls_across_accounts",
      [],
      ["control_name", "non_compliant_resources", "accounts", "regions"],
      [
        ["BACKUP_LAST_RECOVERY_POINT_CREATED", 1, 1, 1],
        ["BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", 1, 1, 1],
        ["BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK", 1, 1, 1],
      ],
    );
  });

  test("accounts_without_completed_backup: seen in any report of the period, no COMPLETED backup job", async () => {
    const cols = ["account_id", "backup_jobs_in_period"];
    await expectQuery("accounts_without_completed_backup", ["2026-03-15", "2026-03-16"], cols, [["999900001111", 1]]);
    // On 03-16 alone: 777788889999 only shows up in the copy report, the others only with failed jobs.
    await expectQuery("accounts_without_completed_backup", ["2026-03-16", "2026-03-16"], cols, [
      ["123412341234", 1],
      ["444455556666", 1],
      ["777788889999", 0],
      ["999900001111", 1],
    ]);
    await expectQuery("accounts_without_completed_backup", ["2026-03-15", "2026-03-15"], cols, []);
  });

  test("largest_backups: top N, a job repeated in two part files counts once", async () => {
    const cols = ["size_rank", "account_id", "region", "backup_job_id", "resource_type", "resource_arn", "backup_size_bytes", "backup_size_gib", "completion_date"];
    await expectQuery("largest_backups", ["3"], cols, [
      [1, "000011112222", "us-east-1", NEW_JOB.n02, "EFS", "arn:aws:elasticfilesystem:us-east-1:000011112222:file-system/fs-0big", 107374182400, 100, "2026-03-15T07:02:00.000Z"],
      [2, "123412341234", "eu-west-1", E("09"), "EC2", "arn:aws:ec2:eu-west-1:123412341234:instance/i-0a1b2c3d4e5f60709", 64424509440, 60, "2026-03-14T05:39:45.209Z"],
      [3, "777788889999", "eu-west-1", E("06"), "S3", "arn:aws:s3:::acme-analytics-raw-777788889999", 53687091200, 50, "2026-03-14T05:36:45.206Z"],
    ]);
    const top1 = await reports.run(findNamedQuery(queries, "largest_backups"), ["1"]);
    expect(top1.map((r) => r.backup_job_id)).toEqual([NEW_JOB.n02]);
  });

  test("backup_jobs_completed_with_issues: COMPLETED with a status message", async () => {
    await expectQuery(
      "backup_jobs_completed_with_issues",
      [],
      ["account_id", "region", "backup_job_id", "resource_type", "resource_arn", "status_message", "completion_date"],
      [
        ["000011112222", "eu-west-1", NEW_JOB.n03, "S3", "arn:aws:s3:::zero-lead-bucket", 'Backup job completed with issues: 2 files were skipped, "in use":\nC:\\pagefile.sys', "2026-03-15T05:33:00.000Z"],
        ["123412341234", "eu-west-1", E("09"), "EC2", "arn:aws:ec2:eu-west-1:123412341234:instance/i-0a1b2c3d4e5f60709", "Windows VSS Backup attempt failed because either Instance or SSM Agent has invalid state or insufficient privileges.", "2026-03-14T05:39:45.209Z"],
      ],
    );
  });
});

describe("engine contract", () => {
  test("a parameter count that does not match is refused, naming the parameters", async () => {
    const q = findNamedQuery(queries, "accounts_without_completed_backup");
    await expect(reports.run(q, ["2026-03-15"])).rejects.toThrow(
      new LocalReportsError("query accounts_without_completed_backup takes 2 parameter(s) (from_day, to_day), got 1"),
    );
  });

  test("parameters are bound, never spliced into the SQL", async () => {
    const q = findNamedQuery(queries, "failed_backup_jobs_in_region");
    expect(await reports.run(q, ["us-east-1' OR '1'='1"])).toEqual([]);
  });

  test("a missing folder and a folder without reports are clear errors", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-empty-"));
    try {
      await expect(openLocalReports(path.join(empty, "nope"))).rejects.toThrow(/^reports folder not found: /);
      fs.writeFileSync(path.join(empty, "x.csv"), "a\n");
      await expect(openLocalReports(empty)).rejects.toThrow(/^no report CSV files under .*; x\.csv: skipped: neither/);
      // Files that look like reports by name and place but are empty or carry no known header.
      const emptyKey = reportKey("COPY_JOB_REPORT", "2026-03-16", "p", 1);
      const junkKey = reportKey("RESTORE_JOB_REPORT", "2026-03-16", "p", 1);
      for (const [key, text] of [[emptyKey, ""], [junkKey, '"foo","bar"\n"1","2"\n']]) {
        fs.mkdirSync(path.join(empty, path.dirname(key)), { recursive: true });
        fs.writeFileSync(path.join(empty, key), text);
      }
      await expect(openLocalReports(empty)).rejects.toThrow(
        new LocalReportsError(
          `no report CSV files under ${empty} (expected <prefix>/Backup/<scope>/<region>/YYYY/MM/DD/<plan>/` +
            `<template>_<plan>_..._<n>.csv, as written by "aws s3 sync s3://<bucket> ${empty}"); ` +
            `x.csv: skipped: neither the file name nor a folder names a report template; ` +
            `${emptyKey}: skipped: empty-file: the file is empty; ` +
            `${junkKey}: skipped: no-known-columns: no header names a restore_job_report column (foo, bar)`,
        ),
      );
      // A file that is not valid CSV fails the whole command, naming the file and line (the Lambda fails too).
      const badKey = reportKey("BACKUP_JOB_REPORT", "2026-03-16", "p", 1);
      fs.mkdirSync(path.join(empty, path.dirname(badKey)), { recursive: true });
      fs.writeFileSync(path.join(empty, badKey), '"Account Id","Region"\n"1","us-east-1"\n"2","x\n');
      await expect(openLocalReports(empty)).rejects.toThrow(new RegExp(`^${badKey.replace(/[.]/g, "\\.")}: line 3: CSV_QUOTE_NOT_CLOSED`));
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  test("two open folders share the engine but not their rows; tables of templates without files exist, empty", async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-other-"));
    const key = reportKey("BACKUP_JOB_REPORT", "2026-04-02", "plan_b", 1);
    fs.mkdirSync(path.join(other, path.dirname(key)), { recursive: true });
    fs.writeFileSync(
      path.join(other, key),
      `${csvHeader("BACKUP_JOB_REPORT")}\n${csvLine("BACKUP_JOB_REPORT", { account_id: "010203040506", backup_job_id: "x" })}\n`,
    );
    const second = await openLocalReports(other);
    try {
      expect(second.timings.engineStartMs).toBe(0);
      const count: NamedQuery = {
        name: "count",
        description: "test",
        params: [],
        sql: "SELECT (SELECT COUNT(*) FROM backup_job_report) AS backups, (SELECT COUNT(*) FROM restore_job_report) AS restores",
        file: "inline",
        tables: ["backup_job_report", "restore_job_report"],
      };
      expect(await second.run(count, [])).toEqual([{ backups: 1, restores: 0 }]);
      expect(await reports.run(count, [])).toEqual([{ backups: 16, restores: 6 }]);
    } finally {
      await second.close();
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  test("every named query of the catalog was run above", () => {
    // Runs last (jest keeps declaration order within a file).
    expect([...tested].sort()).toEqual(queries.map((q) => q.name).sort());
  });
});
