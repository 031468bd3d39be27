import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "csv-parse/sync";
import { columnForHeader, templateSpec, type ReportColumn, type ReportTemplate } from "../reports/templates";

/**
 * Builds a temporary folder laid out like the reports bucket (`aws s3 sync` output) for the query tests:
 * the fixture CSVs (__tests__/fixtures/reports) as the 2026-03-15 delivery, plus a 2026-03-16 delivery generated
 * here that moves jobs on (RUNNING → FAILED), adds accounts (one with a leading-zero id), duplicates a row in a
 * second part file, carries a status message with a comma, doubled quotes and a line break, and delivers new
 * compliance snapshots (a control fixed, a control and a resource no longer listed).
 */

/** The sample report files, kept with the tests (copied from the shared fixtures) so any clone can run them. */
export const FIXTURES_DIR = path.join(__dirname, "fixtures", "reports");
export const KEY_PREFIX = "audit/reports";

const FIXTURE_FILES: Record<Exclude<ReportTemplate, "SCAN_JOB_REPORT">, string> = {
  BACKUP_JOB_REPORT: "BACKUP_JOB_REPORT.csv",
  COPY_JOB_REPORT: "COPY_JOB_REPORT.csv",
  RESTORE_JOB_REPORT: "RESTORE_JOB_REPORT.csv",
  CONTROL_COMPLIANCE_REPORT: "CONTROL_COMPLIANCE_REPORT.csv",
  RESOURCE_COMPLIANCE_REPORT: "RESOURCE_COMPLIANCE_REPORT.csv",
};
export const VARIANT_FILE = "variants/BACKUP_JOB_REPORT.enhanced-context-UNCONFIRMED.csv";

/** A fixture file's rows keyed by canonical column (read by header name, as the normaliser does). */
export function readFixtureRows(template: ReportTemplate, file: string = FIXTURE_FILES[template as keyof typeof FIXTURE_FILES]): Array<Record<string, string>> {
  const records = parse(fs.readFileSync(path.join(FIXTURES_DIR, file)), { bom: true }) as string[][];
  const names = records[0].map((h) => {
    const column = columnForHeader(template, h);
    if (column === undefined) throw new Error(`${file}: header ${h} is not a ${template} column`);
    return column.name;
  });
  return records.slice(1).map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]])));
}

/** Throws (never skips) when the fixtures are missing: these tests are about exactly those rows. */
export function requireFixtures(): void {
  const missing = [...Object.values(FIXTURE_FILES), VARIANT_FILE].filter(
    (f) => !fs.existsSync(path.join(FIXTURES_DIR, f)),
  );
  if (missing.length > 0) {
    throw new Error(`query tests need the report fixtures; missing in ${FIXTURES_DIR}: ${missing.join(", ")}`);
  }
}

function quote(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** The template's columns in file order, less the canonical names in `without` (a file that lacks them). */
function fileColumns(template: ReportTemplate, without: readonly string[]): ReportColumn[] {
  const columns = templateSpec(template).columns;
  for (const name of without) {
    if (!columns.some((c) => c.name === name)) throw new Error(`${template} has no column ${name}`);
  }
  return columns.filter((c) => !without.includes(c.name));
}

/** One CSV line in the template's column order, less `without`; unnamed columns are empty. */
export function csvLine(template: ReportTemplate, values: Record<string, string>, without: readonly string[] = []): string {
  const spec = templateSpec(template);
  for (const name of Object.keys(values)) {
    if (!spec.columns.some((c) => c.name === name)) throw new Error(`${template} has no column ${name}`);
  }
  return fileColumns(template, without).map((c) => quote(values[c.name] ?? "")).join(",");
}

export function csvHeader(template: ReportTemplate, without: readonly string[] = []): string {
  return fileColumns(template, without).map((c) => quote(c.header)).join(",");
}

/** Key of a report file: <prefix>/<Template prefix>/Backup/crossaccount/crossregion/YYYY/MM/DD/<plan>/<file>. */
export function reportKey(template: ReportTemplate, day: string, plan: string, part: number): string {
  const spec = templateSpec(template);
  const [y, m, d] = day.split("-");
  const end = `${day}t00:00:00z`;
  const start = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d) - 1)).toISOString().slice(0, 10) + "t00:00:00z";
  return [
    KEY_PREFIX,
    spec.defaultKeyPrefix,
    "Backup/crossaccount/crossregion",
    y,
    m,
    d,
    plan,
    `${spec.fileNamePrefix}${plan}_${start}_${end}_${part}.csv`,
  ].join("/");
}

/** Writes `text` at `key` below the bucket folder `root`. */
export function writeReportFile(root: string, key: string, text: string): void {
  const file = path.join(root, ...key.split("/"));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

const P15 = { report_time_period_start: "2026-03-15T00:00:00Z", report_time_period_end: "2026-03-16T00:00:00Z" };
const FW = { framework_name: "org_backup_baseline", framework_description: "Org-wide AWS Backup baseline controls" };
const ROLE = (account: string): string => `arn:aws:iam::${account}:role/service-role/AWSBackupDefaultServiceRole`;
const VAULT = (region: string, account: string): string =>
  `arn:aws:backup:${region}:${account}:backup-vault:org-central-vault`;

export const NEW_JOB = {
  n01: "5D2F7B1D-0000-4000-8000-000000000001",
  n02: "5D2F7B1D-0000-4000-8000-000000000002",
  n03: "5D2F7B1D-0000-4000-8000-000000000003",
  n04: "5D2F7B1D-0000-4000-8000-000000000004",
  copyC1: "E0AD48A9-0000-4000-8000-00000000C001",
};

function backupJob(v: {
  path: string;
  account: string;
  region: string;
  id: string;
  status: string;
  message: string;
  type: string;
  arn: string;
  created: string;
  completed: string;
  size: string;
}): Record<string, string> {
  return {
    ...P15,
    path_to_root: v.path,
    account_id: v.account,
    region: v.region,
    backup_job_id: v.id,
    job_status: v.status,
    status_message: v.message,
    resource_type: v.type,
    resource_arn: v.arn,
    creation_date: v.created,
    completion_date: v.completed,
    backup_size_in_bytes: v.size,
    backup_vault_name: "org-central-vault",
    backup_vault_arn: VAULT(v.region, v.account),
    iam_role_arn: ROLE(v.account),
  };
}

const E07_FAILED = backupJob({
  path: "r-ab12/ou-ab12-dev22222/123412341234",
  account: "123412341234",
  region: "us-east-1",
  id: "3B1E6A0C-2F0D-4C55-9E7A-0A1B2C3D4E07",
  status: "FAILED",
  message: "Backup job failed because the cluster was stopped.",
  type: "Aurora",
  arn: "arn:aws:rds:us-east-1:123412341234:cluster:billing-aurora",
  created: "2026-03-14T05:07:12.107Z",
  completed: "2026-03-15T01:07:12.107Z",
  size: "0",
});
const N01 = backupJob({
  path: "r-ab12/ou-ab12-sec33333/999900001111",
  account: "999900001111",
  region: "us-east-1",
  id: NEW_JOB.n01,
  status: "FAILED",
  message: "Backup job failed because the backup vault does not exist.",
  type: "EBS",
  arn: "arn:aws:ec2:us-east-1:999900001111:volume/vol-0999",
  created: "2026-03-15T05:00:00.000Z",
  completed: "2026-03-15T05:01:00.000Z",
  size: "0",
});
const N02 = backupJob({
  path: "r-ab12/ou-ab12-prod1111/000011112222",
  account: "000011112222",
  region: "us-east-1",
  id: NEW_JOB.n02,
  status: "COMPLETED",
  message: "",
  type: "EFS",
  arn: "arn:aws:elasticfilesystem:us-east-1:000011112222:file-system/fs-0big",
  created: "2026-03-15T05:02:00.000Z",
  completed: "2026-03-15T07:02:00.000Z",
  size: "107374182400",
});
const N03 = backupJob({
  path: "r-ab12/ou-ab12-prod1111/000011112222",
  account: "000011112222",
  region: "eu-west-1",
  id: NEW_JOB.n03,
  status: "COMPLETED",
  message: 'Backup job completed with issues: 2 files were skipped, "in use":\nC:\\pagefile.sys',
  type: "S3",
  arn: "arn:aws:s3:::zero-lead-bucket",
  created: "2026-03-15T05:03:00.000Z",
  completed: "2026-03-15T05:33:00.000Z",
  size: "1073741824",
});
const N04 = backupJob({
  path: "r-ab12/ou-ab12-prod1111/444455556666",
  account: "444455556666",
  region: "eu-west-1",
  id: NEW_JOB.n04,
  status: "FAILED",
  message: "Backup job failed because the snapshot limit was exceeded.",
  type: "EBS",
  arn: "arn:aws:ec2:eu-west-1:444455556666:volume/vol-0444",
  created: "2026-03-15T05:04:00.000Z",
  completed: "2026-03-15T05:05:00.000Z",
  size: "0",
});

/**
 * A report CSV: the header row and one line per row, by canonical column name ("" when not given); `without` leaves
 * columns out, as a file that lacks them.
 */
export function reportCsv(template: ReportTemplate, rows: Array<Record<string, string>>, without: readonly string[] = []): string {
  return [csvHeader(template, without), ...rows.map((r) => csvLine(template, r, without))].join("\n") + "\n";
}

/** Creates the bucket folder and returns its path; remove it with fs.rmSync(dir, {recursive: true}). */
export function buildTestBucket(): string {
  requireFixtures();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-queries-"));

  // 2026-03-15: the fixtures as delivered.
  for (const [template, name] of Object.entries(FIXTURE_FILES) as Array<[ReportTemplate, string]>) {
    writeReportFile(root, reportKey(template, "2026-03-15", "org_plan", 1), fs.readFileSync(path.join(FIXTURES_DIR, name), "utf8"));
  }

  // 2026-03-16: generated.
  writeReportFile(root, reportKey("BACKUP_JOB_REPORT", "2026-03-16", "org_plan", 1), reportCsv("BACKUP_JOB_REPORT", [E07_FAILED, N01, N02, N03]));
  // An on-demand run repeats N02 in another part file.
  writeReportFile(root, reportKey("BACKUP_JOB_REPORT", "2026-03-16", "org_plan", 2), reportCsv("BACKUP_JOB_REPORT", [N02]));
  writeReportFile(root, reportKey("BACKUP_JOB_REPORT", "2026-03-16", "org_plan", 3), reportCsv("BACKUP_JOB_REPORT", [N04]));

  // 2026-03-16 compliance snapshots: yesterday's rows with today's changes. A control or resource no longer
  // listed (deleted resource, removed framework) must not count as failing any more.
  const controls = readFixtureRows("CONTROL_COMPLIANCE_REPORT")
    .filter((r) => !(r.account_id === "777788889999" && r.control_name === "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION"))
    .map((r) => {
      if (r.account_id !== "444455556666" || r.region !== "us-east-1") return r;
      if (r.control_name === "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN") {
        return { ...r, control_compliance_status: "COMPLIANT", last_evaluation_time: "2026-03-16T02:11:56.101Z", num_resources_compliant: "10", num_resources_non_compliant: "0" };
      }
      if (r.control_name === "BACKUP_RECOVERY_POINT_ENCRYPTED") {
        return { ...r, last_evaluation_time: "2026-03-16T02:14:56.104Z", num_resources_compliant: "29", num_resources_non_compliant: "1" };
      }
      return r;
    });
  controls.push({
    account_id: "999900001111", region: "us-east-1", ...FW, control_name: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
    control_compliance_status: "NON_COMPLIANT", last_evaluation_time: "2026-03-16T02:30:00.000Z",
    num_resources_compliant: "0", num_resources_non_compliant: "5", control_frequency: "Twelve_Hours",
  });
  writeReportFile(root, reportKey("CONTROL_COMPLIANCE_REPORT", "2026-03-16", "org_plan", 1), reportCsv("CONTROL_COMPLIANCE_REPORT", controls));

  const resources = readFixtureRows("RESOURCE_COMPLIANCE_REPORT")
    .filter((r) => r.resource_id !== "AWS::EFS::FileSystem/fs-0a1b2c3d4e5f60705")
    .map((r) =>
      r.resource_id === "AWS::RDS::DBInstance/orders-db"
        ? { ...r, resource_compliance_status: "COMPLIANT", last_evaluation_time: "2026-03-16T02:23:40.903Z" }
        : r,
    );
  resources.push(
    {
      account_id: "999900001111", region: "us-east-1", ...FW, control_name: "BACKUP_LAST_RECOVERY_POINT_CREATED",
      resource_id: "AWS::EC2::Volume/vol-0999", resource_type: "AWS::EC2::Volume",
      resource_compliance_status: "NON_COMPLIANT", last_evaluation_time: "2026-03-16T02:31:00.000Z",
    },
    {
      account_id: "999900001111", region: "us-east-1", ...FW, control_name: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
      resource_id: "AWS::EC2::Volume/vol-0999", resource_type: "AWS::EC2::Volume",
      resource_compliance_status: "NON_COMPLIANT", last_evaluation_time: "2026-03-16T02:32:00.000Z",
    },
  );
  writeReportFile(root, reportKey("RESOURCE_COMPLIANCE_REPORT", "2026-03-16", "org_plan", 1), reportCsv("RESOURCE_COMPLIANCE_REPORT", resources));
  writeReportFile(
    root,
    reportKey("COPY_JOB_REPORT", "2026-03-16", "org_plan", 1),
    reportCsv("COPY_JOB_REPORT", [
      {
        ...P15, path_to_root: "r-ab12/ou-ab12-prod1111/777788889999", account_id: "777788889999", region: "eu-west-1",
        copy_job_id: "E0AD48A9-0560-B668-3EF0-941FDC0AD604", job_status: "PARTIAL", resource_type: "S3",
        resource_arn: "arn:aws:s3:::acme-analytics-raw-777788889999",
        creation_date: "2026-03-14T06:14:02.404Z", completion_date: "2026-03-15T02:14:02.404Z",
        source_backup_vault_arn: VAULT("eu-west-1", "777788889999"),
        destination_backup_vault_arn: "arn:aws:backup:eu-central-1:777788889999:backup-vault:org-dr-vault",
      },
      {
        ...P15, path_to_root: "r-ab12/ou-ab12-prod1111/000011112222", account_id: "000011112222", region: "us-east-1",
        copy_job_id: NEW_JOB.copyC1, job_status: "ABORTED", resource_type: "EFS",
        resource_arn: "arn:aws:elasticfilesystem:us-east-1:000011112222:file-system/fs-0big",
        creation_date: "2026-03-15T08:00:00.000Z", completion_date: "2026-03-15T08:10:00.000Z",
        source_backup_vault_arn: VAULT("us-east-1", "000011112222"),
        destination_backup_vault_arn: "arn:aws:backup:us-west-2:000011112222:backup-vault:org-dr-vault",
      },
    ]),
  );
  writeReportFile(
    root,
    reportKey("RESTORE_JOB_REPORT", "2026-03-16", "org_plan", 1),
    reportCsv("RESTORE_JOB_REPORT", [
      {
        ...P15, path_to_root: "r-ab12/ou-ab12-dev22222/123412341234", account_id: "123412341234", region: "eu-west-1",
        restore_job_id: "4CACA67D-4E12-DC05-6C2B-0E97D01FA404", job_status: "ABORTED",
        recovery_point_arn: "arn:aws:ec2:eu-west-1::image/ami-0f1e2d3c4b5a69809", resource_name: "win-app-09",
        source_resource_arn: "arn:aws:ec2:eu-west-1:123412341234:instance/i-0a1b2c3d4e5f60709",
        creation_date: "2026-03-14T10:24:05.504Z", percent_done: "41.00%",
      },
    ]),
  );

  // Files the loader must skip with a warning, or ignore.
  writeReportFile(root, `${KEY_PREFIX}/BackupJob/backup_job_report_stray.csv`, reportCsv("BACKUP_JOB_REPORT", [N01]));
  writeReportFile(root, "notes/accounts.csv", '"a","b"\n"1","2"\n');
  writeReportFile(root, `${KEY_PREFIX}/BackupJob/Backup/manifest.json`, "{}\n");
  return root;
}
