/**
 * The report templates of AWS Backup Audit Manager and THE header table: for every template, its canonical
 * columns and every known header spelling of each (fact sheet §3). One source of truth for the report plans
 * (key prefixes), the normaliser (header text → canonical column), the Glue tables and the local engine.
 *
 * Reports are read by header NAME, never by position: file order, enhanced-context columns in the middle and
 * the organization-only columns (Path To Root, Account Id) do not matter. A header that matches no spelling is
 * kept in the row's `unknown_columns` map and reported as drift; to adopt it, add a spelling (or a column) here.
 * Spellings match after `headerKey` (case, spaces, punctuation and a trailing `[...]` suffix ignored).
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

/** The five templates every landing zone gets unless its config lists others. */
export const DEFAULT_REPORT_TEMPLATES: readonly ReportTemplate[] = [
  "BACKUP_JOB_REPORT",
  "COPY_JOB_REPORT",
  "RESTORE_JOB_REPORT",
  "CONTROL_COMPLIANCE_REPORT",
  "RESOURCE_COMPLIANCE_REPORT",
];

/**
 * Templates the config refuses, with the reason (shown to the user). SCAN_JOB_REPORT: the Terraform AWS
 * provider in use validates `report_template` against the five job/compliance templates and rejects it at
 * plan, and its columns below contradict the documented malware-scan sample (fact sheet §3.1, §12).
 */
export const REFUSED_TEMPLATES: Readonly<Partial<Record<ReportTemplate, string>>> = {
  SCAN_JOB_REPORT:
    "the Terraform AWS provider rejects SCAN_JOB_REPORT in report_template, and its column list contradicts the " +
    "documented malware-scan sample; remove it from reports.templates until both are fixed",
};

export interface ReportColumn {
  /** Canonical column name: Glue / Athena / DuckDB column of the normalised table. */
  readonly name: string;
  /** The header text the project's fixtures use (first known spelling). */
  readonly header: string;
  /** Every known header spelling, `header` first. */
  readonly spellings: readonly string[];
  /** True for columns documented only for the management account's (organization) reports. */
  readonly organizationOnly: boolean;
}

export interface PartitionKey {
  readonly name: string;
  readonly comment: string;
}

export interface ReportTemplateSpec {
  readonly template: ReportTemplate;
  /** Default S3 key prefix of this template's report plan; every template has its own (fact sheet §8.1). */
  readonly defaultKeyPrefix: string;
  /** Glue table name (of the normalised data). */
  readonly tableName: string;
  /** Leading part of the report file name, e.g. `backup_job_report_<plan>_<start>_<end>_<part>.csv`. */
  readonly fileNamePrefix: string;
  /** True for the compliance templates (snapshots: only a plan's latest delivery counts). */
  readonly compliance: boolean;
  /** True where the header list is a reconstruction that no public source confirms. */
  readonly unconfirmedHeaders: boolean;
  readonly columns: readonly ReportColumn[];
}

/**
 * Folder segments of a report key, in key order (reports/report-key.ts). The normalised rows carry scope,
 * Region and plan as lineage columns; year/month/day become the `delivery_date` partition.
 */
export const PARTITION_KEYS: readonly PartitionKey[] = [
  { name: "delivery_scope", comment: "account id of a single-account report, or crossaccount" },
  { name: "delivery_region", comment: "Region of a single-Region report, or crossregion" },
  { name: "year", comment: "delivery year (YYYY)" },
  { name: "month", comment: "delivery month (MM)" },
  { name: "day", comment: "delivery day (DD), the end of the report period" },
  { name: "report_plan", comment: "report plan name (the folder above the file)" },
];

/**
 * Lookup key of a header: BOM and a trailing `[...]` suffix dropped (some headers carry one, fact sheet §3.3),
 * then only lower-case letters and digits, so `Account Id`, `Account ID`, `AccountId` and `accountId` meet.
 */
export function headerKey(header: string): string {
  return header
    .replace(/^\uFEFF/, "")
    .replace(/\s*\[[^\]]*\]\s*$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/** snake_case column name of a header (for unknown headers' logs; canonical names come from the table). */
export function columnNameForHeader(header: string): string {
  return header
    .trim()
    .replace(/\[.*$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/**
 * One canonical column: `spellings[0]` is the fixture header; the column name is its snake_case; the
 * documented JSON field name (camelCase) is a spelling too, so a report renamed that way still maps.
 */
function col(...spellings: string[]): ReportColumn {
  return { name: columnNameForHeader(spellings[0]), header: spellings[0], spellings, organizationOnly: false };
}
function orgCol(...spellings: string[]): ReportColumn {
  return { ...col(...spellings), organizationOnly: true };
}

// Shared column groups. Enhanced-context columns (plan/rule names, vault type, lock status, …) are documented
// in the JSON samples and may appear anywhere in a CSV: by name, position does not matter.
const PERIOD = [
  col("Report Time Period Start", "reportTimePeriodStart"),
  col("Report Time Period End", "reportTimePeriodEnd"),
];
const ORG = [orgCol("Path To Root", "PathToRoot", "pathToRoot"), col("Account Id", "Account ID", "accountId")];
const REGION = col("Region", "region");
const RESOURCE = [
  col("Resource Type", "resourceType"),
  col("Resource ARN", "Resource Arn", "resourceArn"),
  col("Resource Name", "resourceName"),
];
const PLAN_CONTEXT = [
  col("Initiation Date", "initiationDate"),
  col("Backup Plan Name", "backupPlanName"),
  col("Backup Rule Name", "backupRuleName"),
  col("Backup Rule Schedule", "backupRuleSchedule"),
  col("Backup Rule Timezone", "Backup Rule Time Zone", "backupRuleTimezone"),
  col("Start Window End", "startWindowEnd"),
  col("Backup Options", "backupOptions"),
  col("Is Parent Job", "isParentJob"),
  col("Parent Job Id", "Parent Job ID", "parentJobId"),
];
const VAULT_CONTEXT = [
  col("Vault Type", "vaultType"),
  col("Vault Lock Status", "vaultLockStatus"),
  col("Is Encrypted", "isEncrypted"),
  col("Encryption Key ARN", "Encryption Key Arn", "encryptionKeyArn"),
  col("Delete After Days", "deleteAfterDays"),
  col("Move To Cold After Days", "moveToColdAfterDays"),
  col("Enable Archive", "enableArchive"),
];
const JOB_STATUS = col("Job Status", "jobStatus");
const STATUS_MESSAGE = col("Status Message", "statusMessage");
const CREATION = col("Creation Date", "creationDate");
const COMPLETION = col("Completion Date", "completionDate");
const SIZE = col("Backup Size in Bytes", "Backup Size In Bytes", "backupSizeInBytes");
const JOB_RUN_TIME = col("Job Run Time", "jobRunTime");
const IAM_ROLE = col("IAM Role ARN", "IAM Role Arn", "iamRoleArn");
const FRAMEWORK = [
  col("Account Id", "Account ID", "accountId"),
  REGION,
  col("Framework Name", "frameworkName"),
  col("Framework Description", "frameworkDescription"),
  col("Control Name", "controlName"),
];
const LAST_EVALUATION = col("Last Evaluation Time", "lastEvaluationTime");

const SPECS: Record<ReportTemplate, ReportTemplateSpec> = {
  BACKUP_JOB_REPORT: {
    template: "BACKUP_JOB_REPORT",
    defaultKeyPrefix: "BackupJob",
    tableName: "backup_job_report",
    fileNamePrefix: "backup_job_report_",
    compliance: false,
    unconfirmedHeaders: false,
    columns: [
      ...PERIOD, ...ORG, REGION, col("Backup Job Id", "Backup Job ID", "backupJobId"), JOB_STATUS, STATUS_MESSAGE,
      ...RESOURCE, col("Backup Plan ARN", "Backup Plan Arn", "backupPlanArn"),
      col("Backup Rule Id", "Backup Rule ID", "backupRuleId"), ...PLAN_CONTEXT, CREATION, COMPLETION,
      col("Expected Completion Date", "expectedCompletionDate"),
      col("Recovery Point ARN", "Recovery Point Arn", "recoveryPointArn"), JOB_RUN_TIME, SIZE,
      col("Backup Vault Name", "backupVaultName"), col("Backup Vault ARN", "Backup Vault Arn", "backupVaultArn"),
      ...VAULT_CONTEXT, IAM_ROLE,
    ],
  },
  COPY_JOB_REPORT: {
    template: "COPY_JOB_REPORT",
    defaultKeyPrefix: "CopyJob",
    tableName: "copy_job_report",
    fileNamePrefix: "copy_job_report_",
    compliance: false,
    unconfirmedHeaders: true,
    columns: [
      ...PERIOD, ...ORG, REGION, col("Copy Job Id", "Copy Job ID", "copyJobId"), JOB_STATUS, STATUS_MESSAGE,
      JOB_RUN_TIME, ...RESOURCE, ...PLAN_CONTEXT, CREATION, COMPLETION, SIZE,
      col("Source Recovery Point ARN", "Source Recovery Point Arn", "sourceRecoveryPointArn"),
      col("Source Backup Vault ARN", "Source Backup Vault Arn", "sourceBackupVaultArn"),
      col("Destination Recovery Point ARN", "Destination Recovery Point Arn", "destinationRecoveryPointArn"),
      col("Destination Backup Vault ARN", "Destination Backup Vault Arn", "destinationBackupVaultArn"),
      ...VAULT_CONTEXT, IAM_ROLE,
    ],
  },
  RESTORE_JOB_REPORT: {
    template: "RESTORE_JOB_REPORT",
    defaultKeyPrefix: "RestoreJob",
    tableName: "restore_job_report",
    fileNamePrefix: "restore_job_report_",
    compliance: false,
    unconfirmedHeaders: true,
    columns: [
      // The documented restore sample still has one `reportTimePeriod` field; the split form is assumed too.
      ...PERIOD, col("Report Time Period", "reportTimePeriod"), ...ORG, REGION,
      col("Restore Job Id", "Restore Job ID", "restoreJobId"), JOB_STATUS, STATUS_MESSAGE,
      col("Recovery Point ARN", "Recovery Point Arn", "recoveryPointArn"), col("Resource Name", "resourceName"),
      col("Resource Type", "resourceType"), ...PLAN_CONTEXT, ...VAULT_CONTEXT,
      col("Source Resource ARN", "Source Resource Arn", "sourceResourceArn"),
      col("Backup Vault ARN", "Backup Vault Arn", "backupVaultArn"), CREATION, COMPLETION, SIZE,
      col("Percent Done", "percentDone"), IAM_ROLE,
    ],
  },
  CONTROL_COMPLIANCE_REPORT: {
    template: "CONTROL_COMPLIANCE_REPORT",
    defaultKeyPrefix: "ControlCompliance",
    tableName: "control_compliance_report",
    fileNamePrefix: "control_compliance_report_",
    compliance: true,
    unconfirmedHeaders: true,
    columns: [
      ...PERIOD, ...FRAMEWORK, col("Control Compliance Status", "controlComplianceStatus"), LAST_EVALUATION,
      col("Num Resources Compliant", "Number Of Resources Compliant", "numResourcesCompliant"),
      col("Num Resources Non Compliant", "Num Resources Non-Compliant", "Number Of Resources Non Compliant",
        "numResourcesNonCompliant"),
      col("Control Frequency", "controlFrequency"), col("Control Scope", "controlScope"),
      col("Control Parameters", "controlParameters"),
    ],
  },
  RESOURCE_COMPLIANCE_REPORT: {
    template: "RESOURCE_COMPLIANCE_REPORT",
    defaultKeyPrefix: "ResourceCompliance",
    tableName: "resource_compliance_report",
    fileNamePrefix: "resource_compliance_report_",
    compliance: true,
    unconfirmedHeaders: true,
    columns: [
      ...PERIOD, ...FRAMEWORK, col("Resource Id", "Resource ID", "resourceId"), col("Resource Type", "resourceType"),
      col("Resource Compliance Status", "resourceComplianceStatus"), LAST_EVALUATION,
    ],
  },
  SCAN_JOB_REPORT: {
    template: "SCAN_JOB_REPORT",
    defaultKeyPrefix: "ScanJob",
    tableName: "scan_job_report",
    fileNamePrefix: "scan_job_report_",
    compliance: false,
    // Refused by the config (REFUSED_TEMPLATES): kept so a stray scan report under a prefix is recognised.
    unconfirmedHeaders: true,
    columns: [
      ...PERIOD, ...ORG, REGION, col("Scan Job Id", "scanJobId"), JOB_STATUS, STATUS_MESSAGE, ...RESOURCE,
      col("Recovery Point ARN", "recoveryPointArn"), col("Backup Vault ARN", "backupVaultArn"), CREATION,
      COMPLETION, col("Scan Result", "scanResult"), IAM_ROLE,
    ],
  },
};

export function templateSpec(template: ReportTemplate): ReportTemplateSpec {
  return SPECS[template];
}

export function allTemplateSpecs(): readonly ReportTemplateSpec[] {
  return REPORT_TEMPLATES.map((t) => SPECS[t]);
}

/** The templates a landing zone may use (not refused): the tables queries and the local engine know. */
export function supportedTemplateSpecs(): readonly ReportTemplateSpec[] {
  return allTemplateSpecs().filter((s) => REFUSED_TEMPLATES[s.template] === undefined);
}

export function isReportTemplate(value: string): value is ReportTemplate {
  return (REPORT_TEMPLATES as readonly string[]).includes(value);
}

/** headerKey → canonical column, per template (built once). */
const LOOKUP = new Map<ReportTemplate, ReadonlyMap<string, ReportColumn>>(
  REPORT_TEMPLATES.map((t) => {
    const byKey = new Map<string, ReportColumn>();
    for (const column of SPECS[t].columns) {
      for (const spelling of column.spellings) {
        const key = headerKey(spelling);
        const other = byKey.get(key);
        // Caught by the tests at load time: two columns must never claim one spelling.
        if (other !== undefined && other.name !== column.name) {
          throw new Error(`${t}: header "${spelling}" is listed for both ${other.name} and ${column.name}`);
        }
        byKey.set(key, column);
      }
    }
    return [t, byKey];
  }),
);

/** The canonical column a header names in this template, or undefined for an unknown header. */
export function columnForHeader(template: ReportTemplate, header: string): ReportColumn | undefined {
  return LOOKUP.get(template)!.get(headerKey(header));
}
