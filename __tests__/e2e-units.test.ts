import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildDatasets } from "../rehearsal/e2e-datasets";
import { objectCreatedEvent } from "../rehearsal/object-created-event";
import { deliveriesFor } from "../rehearsal/report-deliveries";
import { compareRows } from "../rehearsal/row-comparison";
import { fillParameters, ordersRows } from "../rehearsal/sql-parameters";
import type { TrinoResult } from "../rehearsal/trino-client";

/** The pure parts of `npm run test:e2e` (the run itself needs the emulator, Terraform and Trino: not in jest). */

describe("fillParameters", () => {
  test("fills ? in order as string literals, quotes doubled; not inside literals, quoted names or comments", () => {
    const sql = "-- param: a ?\nSELECT '?' AS q, \"x?\" FROM t /* ? */ WHERE a = ? AND b <= CAST(? AS INTEGER)";
    expect(fillParameters(sql, ["O'Brien", "5"])).toBe(
      "-- param: a ?\nSELECT '?' AS q, \"x?\" FROM t /* ? */ WHERE a = 'O''Brien' AND b <= CAST('5' AS INTEGER)",
    );
  });

  test("refuses a count that does not match", () => {
    expect(() => fillParameters("SELECT ? , ?", ["a"])).toThrow("more ? placeholders than the 1 parameters");
    expect(() => fillParameters("SELECT ?", ["a", "b"])).toThrow("1 ? placeholders for 2 parameters");
  });
});

describe("ordersRows", () => {
  test("an outermost ORDER BY orders; one in a window or a subquery does not", () => {
    expect(ordersRows("SELECT a FROM t ORDER BY a")).toBe(true);
    expect(ordersRows("SELECT ROW_NUMBER() OVER (PARTITION BY a ORDER BY b) AS n FROM t")).toBe(false);
    expect(ordersRows("WITH x AS (SELECT a FROM t ORDER BY a) SELECT * FROM x")).toBe(false);
    expect(ordersRows("SELECT a FROM t -- ORDER BY a")).toBe(false);
  });
});

describe("compareRows", () => {
  const trino = (rows: (string | number | null)[][]): TrinoResult => ({ columns: [{ name: "a", type: "varchar" }, { name: "n", type: "double" }], rows });
  const local = (rows: Array<[string | null, number | null]>) => ({ columns: ["a", "n"], rows: rows.map(([a, n]) => ({ a, n })) });

  test("equal rows, doubles within 1e-9 relative; unordered results compared as multisets", () => {
    expect(compareRows(local([["x", 0.1 + 0.2], ["y", 2]]), trino([["y", 2], ["x", 0.3]]), false)).toEqual({ equal: true, differences: [] });
  });

  test("order matters when the query orders", () => {
    const cmp = compareRows(local([["x", 1], ["y", 2]]), trino([["y", 2], ["x", 1]]), true);
    expect(cmp.equal).toBe(false);
    expect(cmp.differences[0]).toBe('row 1: a Trino "y" (varchar) local "x"; n Trino 2 (double) local 1');
  });

  test("NULL is not an empty string, and a missing row and other columns are named", () => {
    expect(compareRows(local([[null, 1]]), trino([["", 1]]), false).differences).toEqual(['row 1: a Trino "" (varchar) local null']);
    expect(compareRows(local([["x", 1]]), trino([]), false).differences).toEqual(["row counts differ: Trino 0, local 1", 'row 1: Trino (none); local ["x",1]']);
    expect(compareRows({ columns: ["n", "a"], rows: [] }, trino([]), false).differences).toEqual(["columns differ: Trino a, n; local n, a"]);
  });
});

describe("datasets as AWS Backup delivers them", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "e2e-units-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("the sample's files go under the deployed plans' prefixes and names, the odd files included", () => {
    const [sample] = buildDatasets(dir);
    const plans = [
      { name: "lz_backup_job_report", template: "BACKUP_JOB_REPORT" as const, bucket: "b", keyPrefix: "reports/BackupJob" },
      { name: "lz_copy", template: "COPY_JOB_REPORT" as const, bucket: "b", keyPrefix: "CopyJob" },
      { name: "lz_restore", template: "RESTORE_JOB_REPORT" as const, bucket: "b", keyPrefix: "RestoreJob" },
      { name: "lz_control", template: "CONTROL_COMPLIANCE_REPORT" as const, bucket: "b", keyPrefix: "ControlCompliance" },
      { name: "lz_resource", template: "RESOURCE_COMPLIANCE_REPORT" as const, bucket: "b", keyPrefix: "ResourceCompliance" },
    ];
    const keys = deliveriesFor(sample!.folder, plans).map((d) => d.key).filter((k) => k.startsWith("reports/"));
    expect(keys).toEqual([
      "reports/BackupJob/Backup/999900001111/us-east-1/2026/03/16/lz_backup_job_report/backup_job_report_lz_backup_job_report_2026-03-15t00:00:00z_2026-03-16t00:00:00z_1.csv",
      "reports/BackupJob/Backup/crossaccount/crossregion/2026/03/15/lz_backup_job_report/backup_job_report_lz_backup_job_report_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.csv",
      "reports/BackupJob/Backup/crossaccount/crossregion/2026/03/16/lz_backup_job_report/backup_job_report_lz_backup_job_report_2026-03-15t00:00:00z_2026-03-16t00:00:00z_1.csv",
      "reports/BackupJob/Backup/crossaccount/crossregion/2026/03/16/lz_backup_job_report/backup_job_report_lz_backup_job_report_2026-03-15t00:00:00z_2026-03-16t00:00:00z_2.csv",
    ]);
  });

  test("the Object Created event carries the key URL-encoded, as S3 sends it", () => {
    const e = objectCreatedEvent({ account: "123456789012", region: "us-east-1", bucket: "b", key: "BackupJob/x_2026-03-15t00:00:00z_1.csv", size: 10, etag: '"abc"', sequence: 1 });
    expect(e.detail.object).toEqual({ key: "BackupJob/x_2026-03-15t00%3A00%3A00z_1.csv", size: 10, etag: "abc", sequencer: "000000000000000001" });
    expect([e.source, e["detail-type"], e.detail.bucket.name, e.resources[0]]).toEqual(["aws.s3", "Object Created", "b", "arn:aws:s3:::b"]);
  });
});
