import { parseReportKey, partitionRecord, type KeyRejectionReason } from "../reports/report-key";
import {
  defaultReportTables,
  parseReportTablesJson,
  reportTablesForPlans,
  reportTablesWithOverrides,
  type ReportTableRef,
} from "../reports/report-tables";
import { FIXTURE_EVENT as fixtureEvent } from "./partitioner-fixtures";


const TABLES: ReportTableRef[] = [
  ...defaultReportTables(),
  // A nested prefix that shares its first segment with nothing above, and one nested under another prefix.
  { template: "COPY_JOB_REPORT", keyPrefix: "org/reports/copy_job", tableName: "copy_job_report" },
  { template: "RESTORE_JOB_REPORT", keyPrefix: "org/reports", tableName: "restore_job_report" },
  { template: "BACKUP_JOB_REPORT", keyPrefix: "org/reports/backup_job", tableName: "backup_job_report" },
];

const F = "backup_job_report_org_backup_job_report_2026-03-14t00:00:00z_2026-03-15t00:00:00z";

type Accept = {
  key: string;
  template: string;
  values: string[];
  location: string;
  part: number | null;
  backup?: boolean;
};

const ACCEPTED: Array<[string, Accept]> = [
  [
    "fixture event key",
    {
      key: fixtureEvent.detail.object.key,
      template: "BACKUP_JOB_REPORT",
      values: ["crossaccount", "crossregion", "2026", "03", "15", "org_backup_job_report"],
      location: "BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/",
      part: 1,
    },
  ],
  [
    "crossaccount with a Region",
    {
      key: `BackupJob/Backup/crossaccount/eu-central-1/2026/03/15/org_backup_job_report/${F}_1.csv`,
      template: "BACKUP_JOB_REPORT",
      values: ["crossaccount", "eu-central-1", "2026", "03", "15", "org_backup_job_report"],
      location: "BackupJob/Backup/crossaccount/eu-central-1/2026/03/15/org_backup_job_report/",
      part: 1,
    },
  ],
  [
    "account id with crossregion",
    {
      key: `BackupJob/Backup/111122223333/crossregion/2026/03/15/org_backup_job_report/${F}_1.csv`,
      template: "BACKUP_JOB_REPORT",
      values: ["111122223333", "crossregion", "2026", "03", "15", "org_backup_job_report"],
      location: "BackupJob/Backup/111122223333/crossregion/2026/03/15/org_backup_job_report/",
      part: 1,
    },
  ],
  [
    "account id and Region (single account, single Region)",
    {
      key: "ControlCompliance/Backup/444455556666/us-west-2/2026/01/31/acme_prod_control_compliance_report/control_compliance_report_acme_prod_control_compliance_report_2026-01-30t00:00:00z_2026-01-31t00:00:00z_1.csv",
      template: "CONTROL_COMPLIANCE_REPORT",
      values: ["444455556666", "us-west-2", "2026", "01", "31", "acme_prod_control_compliance_report"],
      location: "ControlCompliance/Backup/444455556666/us-west-2/2026/01/31/acme_prod_control_compliance_report/",
      part: 1,
    },
  ],
  [
    "GovCloud Region",
    {
      key: "ResourceCompliance/Backup/crossaccount/us-gov-west-1/2026/02/28/gov_plan/resource_compliance_report_gov_plan_2026-02-27t00:00:00z_2026-02-28t00:00:00z_1.csv",
      template: "RESOURCE_COMPLIANCE_REPORT",
      values: ["crossaccount", "us-gov-west-1", "2026", "02", "28", "gov_plan"],
      location: "ResourceCompliance/Backup/crossaccount/us-gov-west-1/2026/02/28/gov_plan/",
      part: 1,
    },
  ],
  [
    "nested prefix (longest match wins over org/reports)",
    {
      key: "org/reports/copy_job/Backup/crossaccount/crossregion/2026/03/15/p1/copy_job_report_p1_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.csv",
      template: "COPY_JOB_REPORT",
      values: ["crossaccount", "crossregion", "2026", "03", "15", "p1"],
      location: "org/reports/copy_job/Backup/crossaccount/crossregion/2026/03/15/p1/",
      part: 1,
    },
  ],
  [
    "shorter nested prefix",
    {
      key: "org/reports/Backup/crossaccount/crossregion/2026/03/15/p2/restore_job_report_p2_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.csv",
      template: "RESTORE_JOB_REPORT",
      values: ["crossaccount", "crossregion", "2026", "03", "15", "p2"],
      location: "org/reports/Backup/crossaccount/crossregion/2026/03/15/p2/",
      part: 1,
    },
  ],
  [
    "no Backup/ segment (older third-party layout)",
    {
      key: "org/reports/backup_job/744878436330/us-east-1/2022/07/06/bos_backupjobreport_e0875b80/backup_job_report_bos_backupjobreport_e0875b80_2022-07-05t00:00:00z_2022-07-06t00:00:00z_1.csv",
      template: "BACKUP_JOB_REPORT",
      values: ["744878436330", "us-east-1", "2022", "07", "06", "bos_backupjobreport_e0875b80"],
      location: "org/reports/backup_job/744878436330/us-east-1/2022/07/06/bos_backupjobreport_e0875b80/",
      part: 1,
      backup: false,
    },
  ],
  [
    "second part file",
    {
      key: `BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/${F}_2.csv`,
      template: "BACKUP_JOB_REPORT",
      values: ["crossaccount", "crossregion", "2026", "03", "15", "org_backup_job_report"],
      location: "BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/",
      part: 2,
    },
  ],
  [
    "twelfth part file",
    {
      key: `BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/${F}_12.csv`,
      template: "BACKUP_JOB_REPORT",
      values: ["crossaccount", "crossregion", "2026", "03", "15", "org_backup_job_report"],
      location: "BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/",
      part: 12,
    },
  ],
  [
    "percent-encoded colons (%3A)",
    {
      key: "CopyJob/Backup/crossaccount/crossregion/2026/03/15/org_copy/copy_job_report_org_copy_2026-03-14t00%3A00%3A00z_2026-03-15t00%3a00%3a00z_1.csv",
      template: "COPY_JOB_REPORT",
      values: ["crossaccount", "crossregion", "2026", "03", "15", "org_copy"],
      location: "CopyJob/Backup/crossaccount/crossregion/2026/03/15/org_copy/",
      part: 1,
    },
  ],
  [
    "leap day",
    {
      key: "RestoreJob/Backup/crossaccount/crossregion/2028/02/29/r/restore_job_report_r_2028-02-28t00:00:00z_2028-02-29t00:00:00z_1.csv",
      template: "RESTORE_JOB_REPORT",
      values: ["crossaccount", "crossregion", "2028", "02", "29", "r"],
      location: "RestoreJob/Backup/crossaccount/crossregion/2028/02/29/r/",
      part: 1,
    },
  ],
  [
    "scan job report (opt-in template)",
    {
      key: "ScanJob/Backup/crossaccount/crossregion/2026/03/15/scan_plan/scan_job_report_scan_plan_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.csv",
      template: "SCAN_JOB_REPORT",
      values: ["crossaccount", "crossregion", "2026", "03", "15", "scan_plan"],
      location: "ScanJob/Backup/crossaccount/crossregion/2026/03/15/scan_plan/",
      part: 1,
    },
  ],
  [
    "unrecognised file name without a part number is still a report (warning)",
    {
      key: "BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/report.csv",
      template: "BACKUP_JOB_REPORT",
      values: ["crossaccount", "crossregion", "2026", "03", "15", "org_backup_job_report"],
      location: "BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/",
      part: null,
    },
  ],
];

const REJECTED: Array<[string, string, KeyRejectionReason]> = [
  ["empty key", "", "empty-key"],
  ["manifest.json", "BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/manifest.json", "not-csv"],
  [
    "JSON report (single account/Region)",
    "BackupJob/Backup/111122223333/us-east-1/2026/03/15/p/backup_job_report_p_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.json",
    "not-csv",
  ],
  ["folder marker", "BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/", "folder-marker"],
  ["prefix folder marker", "BackupJob/", "folder-marker"],
  ["unknown prefix", `Other/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/${F}_1.csv`, "no-template-prefix"],
  ["prefix without slash boundary", `BackupJobs/Backup/crossaccount/crossregion/2026/03/15/p/${F}_1.csv`, "no-template-prefix"],
  ["month 13", `BackupJob/Backup/crossaccount/crossregion/2026/13/15/p/${F}_1.csv`, "malformed-date"],
  ["February 30", `BackupJob/Backup/crossaccount/crossregion/2026/02/30/p/${F}_1.csv`, "malformed-date"],
  ["February 29 in a common year", `BackupJob/Backup/crossaccount/crossregion/2026/02/29/p/${F}_1.csv`, "malformed-date"],
  ["single-digit day", `BackupJob/Backup/crossaccount/crossregion/2026/03/5/p/${F}_1.csv`, "malformed-date"],
  ["ISO date folder", `BackupJob/Backup/crossaccount/crossregion/2026-03-15/x/y/p/${F}_1.csv`, "malformed-date"],
  ["11-digit account", `BackupJob/Backup/11112222333/crossregion/2026/03/15/p/${F}_1.csv`, "bad-delivery-scope"],
  ["bogus Region", `BackupJob/Backup/crossaccount/mars-1/2026/03/15/p/${F}_1.csv`, "bad-delivery-region"],
  [
    "API-doc layout without account segment",
    `BackupJob/Backup/us-west-2/2026/03/15/p/${F}_1.csv`,
    "bad-delivery-scope",
  ],
  ["extra segment", `BackupJob/Backup/extra/crossaccount/crossregion/2026/03/15/p/${F}_1.csv`, "unexpected-layout"],
  ["too short", `BackupJob/2026/03/15/p/${F}_1.csv`, "unexpected-layout"],
  ["double slash", `BackupJob/Backup/crossaccount/crossregion/2026/03//p/${F}_1.csv`, "unexpected-layout"],
  ["bad plan folder", `BackupJob/Backup/crossaccount/crossregion/2026/03/15/my plan/${F}_1.csv`, "bad-report-plan"],
  [
    "copy report under the backup prefix",
    "BackupJob/Backup/crossaccount/crossregion/2026/03/15/p/copy_job_report_p_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.csv",
    "template-mismatch",
  ],
  ["invalid percent-escape", `BackupJob/Backup/crossaccount/crossregion/2026/03/15/p/${F}%C3_1.csv`, "malformed-encoding"],
];

describe("parseReportKey accepts real-looking report keys", () => {
  test.each(ACCEPTED)("%s", (_name, expected) => {
    const parsed = parseReportKey(expected.key, TABLES);
    if (!parsed.ok) throw new Error(`rejected: ${parsed.reason} ${parsed.message}`);
    expect(parsed.template).toBe(expected.template);
    expect(parsed.tableName).toBe(TABLES.find((t) => t.template === expected.template)!.tableName);
    expect([...parsed.partitionValues]).toEqual(expected.values);
    expect(parsed.locationKey).toBe(expected.location);
    expect(parsed.part).toBe(expected.part);
    expect(parsed.hasBackupSegment).toBe(expected.backup ?? true);
    expect(parsed.key.includes("%")).toBe(false);
    expect(parsed.key.endsWith(parsed.fileName)).toBe(true);
    expect(parsed.key.startsWith(parsed.locationKey)).toBe(true);
  });
});

describe("parseReportKey rejects non-report keys with a reason", () => {
  test.each(REJECTED)("%s", (_name, key, reason) => {
    const parsed = parseReportKey(key, TABLES);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toBe(reason);
      expect(parsed.message.length).toBeGreaterThan(0);
    }
  });
});

describe("parseReportKey details", () => {
  test("fixture event: location, record and warnings", () => {
    const parsed = parseReportKey(fixtureEvent.detail.object.key, TABLES);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.locationKey).toBe("BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/");
    expect(partitionRecord(parsed.partitionValues)).toEqual({
      delivery_scope: "crossaccount",
      delivery_region: "crossregion",
      year: "2026",
      month: "03",
      day: "15",
      report_plan: "org_backup_job_report",
    });
    expect(Object.keys(partitionRecord(parsed.partitionValues))).toEqual([
      "delivery_scope",
      "delivery_region",
      "year",
      "month",
      "day",
      "report_plan",
    ]);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.fileName).toBe(`${F}_1.csv`);
  });

  test("the same key twice and its part files map to one partition", () => {
    const a = parseReportKey(fixtureEvent.detail.object.key, TABLES);
    const b = parseReportKey(fixtureEvent.detail.object.key, TABLES);
    const c = parseReportKey(fixtureEvent.detail.object.key.replace(/_1\.csv$/, "_2.csv"), TABLES);
    expect(a).toEqual(b);
    if (!a.ok || !c.ok) throw new Error("rejected");
    expect(c.partitionValues).toEqual(a.partitionValues);
    expect(c.locationKey).toBe(a.locationKey);
  });

  test("missing Backup/ segment is a warning, not a failure", () => {
    const parsed = parseReportKey(`BackupJob/crossaccount/crossregion/2026/03/15/p/${F}_1.csv`, TABLES);
    expect(parsed.ok && parsed.warnings).toEqual(["no Backup/ segment after the key prefix"]);
  });

  test("`+` stays literal; decoding can be switched off for ListObjectsV2 keys", () => {
    const plus = parseReportKey(`BackupJob/Backup/crossaccount/crossregion/2026/03/15/p/${F}+x_1.csv`, TABLES);
    expect(plus.ok && plus.key).toBe(`BackupJob/Backup/crossaccount/crossregion/2026/03/15/p/${F}+x_1.csv`);
    const raw = `BackupJob/Backup/crossaccount/crossregion/2026/03/15/p/${F}%41_1.csv`;
    const undecoded = parseReportKey(raw, TABLES, { decodePercent: false });
    expect(undecoded.ok && undecoded.key).toBe(raw);
    const decoded = parseReportKey(raw, TABLES);
    expect(decoded.ok && decoded.key).toBe(raw.replace("%41", "A"));
  });

  test("an empty configured prefix matches keys delivered without a prefix", () => {
    const tables = reportTablesForPlans([{ template: "BACKUP_JOB_REPORT", keyPrefix: "" }]);
    const parsed = parseReportKey(`Backup/crossaccount/crossregion/2026/03/15/p/${F}_1.csv`, tables);
    expect(parsed.ok && parsed.locationKey).toBe("Backup/crossaccount/crossregion/2026/03/15/p/");
  });
});

describe("REPORT_TABLES helpers", () => {
  test("default tables come from templates.ts", () => {
    expect(defaultReportTables()).toEqual([
      { template: "BACKUP_JOB_REPORT", keyPrefix: "BackupJob", tableName: "backup_job_report" },
      { template: "COPY_JOB_REPORT", keyPrefix: "CopyJob", tableName: "copy_job_report" },
      { template: "RESTORE_JOB_REPORT", keyPrefix: "RestoreJob", tableName: "restore_job_report" },
      { template: "CONTROL_COMPLIANCE_REPORT", keyPrefix: "ControlCompliance", tableName: "control_compliance_report" },
      { template: "RESOURCE_COMPLIANCE_REPORT", keyPrefix: "ResourceCompliance", tableName: "resource_compliance_report" },
      { template: "SCAN_JOB_REPORT", keyPrefix: "ScanJob", tableName: "scan_job_report" },
    ]);
  });

  test("plans with nested prefixes; slashes trimmed; JSON round trip", () => {
    const tables = reportTablesForPlans([{ template: "COPY_JOB_REPORT", keyPrefix: "/reports/CopyJob/" }]);
    expect(tables).toEqual([{ template: "COPY_JOB_REPORT", keyPrefix: "reports/CopyJob", tableName: "copy_job_report" }]);
    expect(parseReportTablesJson(JSON.stringify(tables))).toEqual(tables);
  });

  test("malformed REPORT_TABLES is rejected with the offending entry", () => {
    expect(() => parseReportTablesJson("nope")).toThrow(/not valid JSON/);
    expect(() => parseReportTablesJson("[]")).toThrow(/non-empty/);
    expect(() => parseReportTablesJson('[{"template":"X","keyPrefix":"a","tableName":"t"}]')).toThrow(
      /REPORT_TABLES\[0\]\.template/,
    );
    expect(() => parseReportTablesJson('[{"template":"COPY_JOB_REPORT","keyPrefix":"a"}]')).toThrow(/tableName/);
  });

  test("--prefix overrides", () => {
    const tables = reportTablesWithOverrides(["BACKUP_JOB_REPORT=reports/backup/"]);
    expect(tables.find((t) => t.template === "BACKUP_JOB_REPORT")?.keyPrefix).toBe("reports/backup");
    expect(() => reportTablesWithOverrides(["NOPE=x"])).toThrow(/TEMPLATE=prefix/);
    expect(() => reportTablesWithOverrides(["BACKUP_JOB_REPORT"])).toThrow(/TEMPLATE=prefix/);
  });
});
