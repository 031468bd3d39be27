/**
 * The report templates of AWS Backup Audit Manager: one source of truth for the report plans (key prefixes),
 * the Glue tables (column lists, partition keys), the partitioner Lambda (key → template) and the queries.
 *
 * Header text follows the fixtures in shared/fixtures/reports (see the fact sheet §3: only part of it is
 * confirmed). A corrected header is a one-line change in COLUMNS below. Glue maps CSV columns by position, so
 * the order here is the file order; readers tolerate extra trailing columns.
 */

export const REPORT_TEMPLATES = [
  "BACKUP_JOB_REPORT",
  "COPY_JOB_REPORT",
  "RESTORE_JOB_REPORT",
  "CONTROL_COMPLIANCE_REPORT",
  "RESOURCE_COMPLIANCE_REPORT",
  "SCAN_JOB_REPORT",
] as const;

export type ReportTemplate = (typeof REPORT_TEMPLATES)[number];

/** The five templates every landing zone gets unless its config lists others; SCAN_JOB_REPORT is opt-in. */
export const DEFAULT_REPORT_TEMPLATES: readonly ReportTemplate[] = [
  "BACKUP_JOB_REPORT",
  "COPY_JOB_REPORT",
  "RESTORE_JOB_REPORT",
  "CONTROL_COMPLIANCE_REPORT",
  "RESOURCE_COMPLIANCE_REPORT",
];

export interface ReportColumn {
  /** Header text as it appears in the CSV file. */
  readonly header: string;
  /** Glue / Athena column name (snake_case of the header). */
  readonly name: string;
}

export interface PartitionKey {
  readonly name: string;
  readonly comment: string;
}

export interface ReportTemplateSpec {
  readonly template: ReportTemplate;
  /** Default S3 key prefix of this template's report plan; every template has its own (fact sheet §8.1). */
  readonly defaultKeyPrefix: string;
  /** Glue table name. */
  readonly tableName: string;
  /** Leading part of the report file name, e.g. `backup_job_report_<plan>_<start>_<end>_<part>.csv`. */
  readonly fileNamePrefix: string;
  /** True for the compliance templates, which read frameworks. */
  readonly compliance: boolean;
  /** True where the header list is a reconstruction that no public source confirms. */
  readonly unconfirmedHeaders: boolean;
  readonly columns: readonly ReportColumn[];
}

/** Partition keys of every report table, in key order. Named so they never clash with `account_id`/`region`. */
export const PARTITION_KEYS: readonly PartitionKey[] = [
  { name: "delivery_scope", comment: "account id of a single-account report, or crossaccount" },
  { name: "delivery_region", comment: "Region of a single-Region report, or crossregion" },
  { name: "year", comment: "delivery year (YYYY)" },
  { name: "month", comment: "delivery month (MM)" },
  { name: "day", comment: "delivery day (DD), the end of the report period" },
  { name: "report_plan", comment: "report plan name (the folder above the file)" },
];

/** Glue column name for a CSV header: lower case, runs of non-alphanumerics become one underscore. */
export function columnNameForHeader(header: string): string {
  return header
    .trim()
    .replace(/\[.*$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

function columns(...headers: string[]): ReportColumn[] {
  return headers.map((header) => ({ header, name: columnNameForHeader(header) }));
}

const JOB_PERIOD = ["Report Time Period Start", "Report Time Period End", "Path To Root", "Account Id", "Region"];
const PLAN_CONTEXT = [
  "Initiation Date", "Backup Plan Name", "Backup Rule Name", "Backup Rule Schedule", "Backup Rule Timezone",
  "Start Window End", "Backup Options", "Is Parent Job", "Parent Job Id",
];
const VAULT_CONTEXT = [
  "Vault Type", "Vault Lock Status", "Is Encrypted", "Encryption Key ARN", "Delete After Days",
  "Move To Cold After Days", "Enable Archive",
];
const FRAMEWORK_CONTEXT = ["Account Id", "Region", "Framework Name", "Framework Description", "Control Name"];

const SPECS: Record<ReportTemplate, ReportTemplateSpec> = {
  BACKUP_JOB_REPORT: {
    template: "BACKUP_JOB_REPORT",
    defaultKeyPrefix: "BackupJob",
    tableName: "backup_job_report",
    fileNamePrefix: "backup_job_report_",
    compliance: false,
    unconfirmedHeaders: false,
    columns: columns(
      ...JOB_PERIOD, "Backup Job Id", "Job Status", "Status Message", "Resource Type", "Resource ARN",
      "Backup Plan ARN", "Backup Rule Id", "Creation Date", "Completion Date", "Expected Completion Date",
      "Recovery Point ARN", "Job Run Time", "Backup Size in Bytes", "Backup Vault Name", "Backup Vault ARN",
      "IAM Role ARN",
    ),
  },
  COPY_JOB_REPORT: {
    template: "COPY_JOB_REPORT",
    defaultKeyPrefix: "CopyJob",
    tableName: "copy_job_report",
    fileNamePrefix: "copy_job_report_",
    compliance: false,
    unconfirmedHeaders: true,
    columns: columns(
      ...JOB_PERIOD, "Copy Job Id", "Job Status", "Job Run Time", "Resource Type", "Resource ARN", "Resource Name",
      ...PLAN_CONTEXT, "Creation Date", "Completion Date", "Backup Size in Bytes", "Source Recovery Point ARN",
      "Source Backup Vault ARN", "Destination Recovery Point ARN", "Destination Backup Vault ARN",
      ...VAULT_CONTEXT, "IAM Role ARN",
    ),
  },
  RESTORE_JOB_REPORT: {
    template: "RESTORE_JOB_REPORT",
    defaultKeyPrefix: "RestoreJob",
    tableName: "restore_job_report",
    fileNamePrefix: "restore_job_report_",
    compliance: false,
    unconfirmedHeaders: true,
    columns: columns(
      ...JOB_PERIOD, "Restore Job Id", "Job Status", "Recovery Point ARN", "Resource Name", ...PLAN_CONTEXT,
      ...VAULT_CONTEXT, "Source Resource ARN", "Backup Vault ARN", "Creation Date", "Backup Size in Bytes",
      "Percent Done", "IAM Role ARN",
    ),
  },
  CONTROL_COMPLIANCE_REPORT: {
    template: "CONTROL_COMPLIANCE_REPORT",
    defaultKeyPrefix: "ControlCompliance",
    tableName: "control_compliance_report",
    fileNamePrefix: "control_compliance_report_",
    compliance: true,
    unconfirmedHeaders: true,
    columns: columns(
      ...FRAMEWORK_CONTEXT, "Control Compliance Status", "Last Evaluation Time", "Num Resources Compliant",
      "Num Resources Non Compliant", "Control Frequency", "Control Scope", "Control Parameters",
    ),
  },
  RESOURCE_COMPLIANCE_REPORT: {
    template: "RESOURCE_COMPLIANCE_REPORT",
    defaultKeyPrefix: "ResourceCompliance",
    tableName: "resource_compliance_report",
    fileNamePrefix: "resource_compliance_report_",
    compliance: true,
    unconfirmedHeaders: true,
    columns: columns(
      ...FRAMEWORK_CONTEXT, "Resource Id", "Resource Type", "Resource Compliance Status", "Last Evaluation Time",
    ),
  },
  SCAN_JOB_REPORT: {
    template: "SCAN_JOB_REPORT",
    defaultKeyPrefix: "ScanJob",
    tableName: "scan_job_report",
    fileNamePrefix: "scan_job_report_",
    compliance: false,
    // The API lists the template, but no public sample of its columns was found: opt-in and unconfirmed.
    unconfirmedHeaders: true,
    columns: columns(
      ...JOB_PERIOD, "Scan Job Id", "Job Status", "Status Message", "Resource Type", "Resource ARN",
      "Resource Name", "Recovery Point ARN", "Backup Vault ARN", "Creation Date", "Completion Date",
      "Scan Result", "IAM Role ARN",
    ),
  },
};

export function templateSpec(template: ReportTemplate): ReportTemplateSpec {
  return SPECS[template];
}

export function allTemplateSpecs(): readonly ReportTemplateSpec[] {
  return REPORT_TEMPLATES.map((t) => SPECS[t]);
}

export function isReportTemplate(value: string): value is ReportTemplate {
  return (REPORT_TEMPLATES as readonly string[]).includes(value);
}
