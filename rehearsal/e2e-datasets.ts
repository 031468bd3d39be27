import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../app/project-root";
import { generateReportsBucket } from "../bench/reports-bucket";
import { templateSpec, type ReportTemplate } from "../reports/templates";

/**
 * The datasets of the data-path test, each a folder laid out as a reports bucket with the templates' default key
 * prefixes and a plan called `org_plan` (rehearsal/report-deliveries.ts moves them under the deployed plans):
 *   - sample: the sample bucket (examples/reports, one day) plus a second day of files whose layout differs — an
 *     extra unknown column and another column order, a split second part, a single-account file without
 *     Path To Root / Account Id, a status message with a comma, a double quote and a line break;
 *   - month: the benchmark's generated bucket, 25 accounts × 30 days.
 */

export interface Dataset {
  readonly name: string;
  readonly folder: string;
  /** First and last delivery day (YYYY-MM-DD). */
  readonly firstDay: string;
  readonly lastDay: string;
}

const SAMPLE = path.join(PROJECT_ROOT, "examples", "reports");
const ODD_DAY = "2026-03-16";
const ODD_ACCOUNT = "444455556666";
const SINGLE_ACCOUNT = "999900001111";
export const ODD_STATUS_MESSAGE = 'Snapshot failed, "quota" exceeded\nfor volume vol-0odd';

function quote(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** A CSV with the given headers (by header text, in this order) and rows keyed by column name. */
function csv(template: ReportTemplate, columns: readonly string[], extraHeaders: readonly string[], rows: ReadonlyArray<Record<string, string>>): string {
  const spec = templateSpec(template);
  const headerOf = (name: string): string => {
    const column = spec.columns.find((c) => c.name === name);
    if (!column) throw new Error(`${template} has no column ${name}`);
    return column.header;
  };
  const lines = [[...columns.map(headerOf), ...extraHeaders].map(quote).join(",")];
  for (const row of rows) lines.push([...columns.map((c) => row[c] ?? ""), ...extraHeaders.map((h) => row[h] ?? "")].map(quote).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

function job(n: number, region: string, status: string, message: string, bytes: string, account = ODD_ACCOUNT): Record<string, string> {
  const id = `0DD0B000-0000-4000-8000-0000000000${String(n).padStart(2, "0")}`;
  return {
    report_time_period_start: "2026-03-15T00:00:00Z",
    report_time_period_end: "2026-03-16T00:00:00Z",
    path_to_root: `r-ab12/ou-ab12-prod1111/${account}`,
    account_id: account,
    region,
    backup_job_id: id,
    job_status: status,
    status_message: message,
    resource_type: "EBS",
    resource_arn: `arn:aws:ec2:${region}:${account}:volume/vol-0odd${n}`,
    backup_plan_arn: `arn:aws:backup:${region}:${account}:backup-plan:odd-${n}`,
    creation_date: `2026-03-15T0${n % 10}:00:00.000Z`,
    completion_date: status === "RUNNING" ? "" : `2026-03-15T0${n % 10}:30:00.000Z`,
    backup_size_in_bytes: bytes,
    backup_vault_name: "Default",
    backup_vault_arn: `arn:aws:backup:${region}:${account}:backup-vault:Default`,
    iam_role_arn: `arn:aws:iam::${account}:role/service-role/AWSBackupDefaultServiceRole`,
  };
}

const JOB_COLUMNS = [
  "report_time_period_start", "report_time_period_end", "path_to_root", "account_id", "region", "backup_job_id", "job_status",
  "status_message", "resource_type", "resource_arn", "backup_plan_arn", "creation_date", "completion_date",
  "backup_size_in_bytes", "backup_vault_name", "backup_vault_arn", "iam_role_arn",
];

function write(root: string, key: string, text: string): void {
  const file = path.join(root, key);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function oddFiles(root: string): void {
  const [y, m, d] = ODD_DAY.split("-");
  const dir = (scope: string, region: string): string => `BackupJob/Backup/${scope}/${region}/${y}/${m}/${d}/org_plan`;
  // Part 1: columns in reverse order, an unknown column, the awkward status message.
  const part1 = [
    { ...job(1, "us-east-1", "FAILED", ODD_STATUS_MESSAGE, "0"), "Legal Hold Status": "NONE" },
    { ...job(2, "us-east-1", "COMPLETED", "Completed with issues, see \"Windows VSS\"", "52428800"), "Legal Hold Status": "ACTIVE" },
    { ...job(3, "eu-west-1", "RUNNING", "", "0"), "Legal Hold Status": "NONE" },
  ];
  write(root, `${dir("crossaccount", "crossregion")}/backup_job_report_org_plan_1.csv`, csv("BACKUP_JOB_REPORT", [...JOB_COLUMNS].reverse(), ["Legal Hold Status"], part1));
  // Part 2 of the same report (split at 50 MB): the header again, in the usual order.
  const part2 = [job(4, "eu-west-1", "FAILED", "Access denied, \"kms:Decrypt\"", "0"), job(5, "us-east-1", "COMPLETED", "", "987654321098")];
  write(root, `${dir("crossaccount", "crossregion")}/backup_job_report_org_plan_2.csv`, csv("BACKUP_JOB_REPORT", JOB_COLUMNS, [], part2));
  // A single-account delivery: no Path To Root, no Account Id (the key names the account).
  const single = [job(6, "us-east-1", "FAILED", "Resource not found", "0", SINGLE_ACCOUNT), job(7, "us-east-1", "COMPLETED", "", "1048576", SINGLE_ACCOUNT)];
  write(root, `${dir(SINGLE_ACCOUNT, "us-east-1")}/backup_job_report_org_plan_1.csv`, csv("BACKUP_JOB_REPORT", JOB_COLUMNS.filter((c) => c !== "path_to_root" && c !== "account_id"), [], single));
}

export function buildDatasets(dir: string): Dataset[] {
  const sample = path.join(dir, "sample");
  cpSync(SAMPLE, sample, { recursive: true, filter: (src) => !src.endsWith(".md") });
  oddFiles(sample);
  const month = path.join(dir, "month");
  const shape = { days: 30, accounts: 25, backupJobsPerDay: 300, copyJobsPerDay: 60, restoreJobsPerDay: 15, firstDay: "2026-02-01" };
  generateReportsBucket(month, shape);
  const lastDay = new Date(Date.parse(`${shape.firstDay}T00:00:00Z`) + (shape.days - 1) * 86_400_000).toISOString().slice(0, 10);
  return [
    { name: "sample", folder: sample, firstDay: "2026-03-15", lastDay: ODD_DAY },
    { name: "month", folder: month, firstDay: shape.firstDay, lastDay },
  ];
}
