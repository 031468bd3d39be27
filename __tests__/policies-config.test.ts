import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { synthesizeLandingZones } from "../app/synth";
import { runValidateCommand } from "../cli/commands/validate";
import { loadLandingZones } from "../config/loader";
import { evaluateConfigPolicies, evaluateTerraformPolicies, type Violation } from "../policies/gate";
import { asLandingZone, exampleRaw, mutatedLandingZone, normalizedFromRaw, type RawConfig } from "./policies-fixtures";

/**
 * Every config rule, broken through the config file the way a user would break it (the example, one field
 * changed; for rules across landing zones, the example and renamed copies of it), evaluated by the compiled Wasm
 * policy: the id, the field path and the message must come out right, and nothing else may fire. Then the same
 * configs, written to YAML files, must fail `backup-audit validate` (exit 1, the id in the JSON report) and synth
 * (stage config-policies, nothing written).
 */

const FRAMEWORK = "arn:aws:backup:us-east-1:111122223333:framework:baseline-1a2b3c";

// SCAN_JOB_REPORT is refused by the schema (reports/templates.ts REFUSED_TEMPLATES).
const ALL_TEMPLATES = ["BACKUP_JOB_REPORT", "COPY_JOB_REPORT", "RESTORE_JOB_REPORT", "CONTROL_COMPLIANCE_REPORT", "RESOURCE_COMPLIANCE_REPORT"];
// 59 characters: the derived Athena results bucket `<name>-athena` has 66.
const LONG_REPORTS_BUCKET = "acme-backup-reports-111122223333-eu-central-1-archive-xyz12";

interface Case {
  id: string;
  what: string;
  /** The change to the example (landing zone acme-prod). */
  mutate: (c: RawConfig) => void;
  /** More landing zones of the run, each the example changed (start from `asLandingZone(name)`). */
  others?: Array<(c: RawConfig) => void>;
  /** Every violation expected, as [id, path] or [id, path, landing zone] (default acme-prod), in report order. */
  expected: Array<[string, string] | [string, string, string]>;
  /** A fragment of the message of the first expected violation with this case's id. */
  message: string;
  /** Landing zone of that violation (default acme-prod). */
  on?: string;
}

const STACKSETS = "member.org.stacksets.cloudformation.amazonaws.com";

const cases: Case[] = [
  {
    id: "BAI001",
    what: "organization reports in JSON",
    mutate: (c) => (c.reports.formats = ["CSV", "JSON"]),
    expected: [["BAI001", "reports.formats"]],
    message: "acme_prod_backup_job_report, acme_prod_control_compliance_report, acme_prod_copy_job_report, acme_prod_resource_compliance_report, acme_prod_restore_job_report cover more than the reports account and Region, which AWS Backup delivers only as CSV, but formats is [CSV, JSON]",
  },
  {
    id: "BAI002",
    what: "no trusted access for AWS Backup",
    mutate: (c) => (c.organization.trustedAccess = ["config.amazonaws.com"]),
    // The example has an organization trail and a frameworks StackSet: their trusted access is missing too.
    expected: [
      ["BAI002", "organization.trustedAccess"],
      ["BAI023", "organization.trustedAccess"],
      ["BAI032", "organization.trustedAccess"],
    ],
    message: "trusted access for backup.amazonaws.com is neither declared in organization.trustedAccess nor managed",
  },
  {
    id: "BAI003",
    what: "the trail bucket logs to itself",
    mutate: (c) => (c.auditTrail.accessLogBucketName = c.auditTrail.bucketName),
    expected: [["BAI003", "auditTrail.bucketName"]],
    message: "bucket acme-backup-trail-111122223333 (trail) delivers its server access logs to itself",
  },
  {
    id: "BAI004",
    what: "the trail bucket is the reports bucket",
    mutate: (c) => (c.auditTrail.bucketName = c.reports.bucketName),
    expected: [["BAI004", "auditTrail.bucketName"]],
    message: "the CloudTrail bucket acme-backup-reports-111122223333 is also the reports bucket (reports.bucketName)",
  },
  {
    id: "BAI005",
    what: "the reports bucket receives the trail's access logs",
    mutate: (c) => (c.auditTrail.accessLogBucketName = c.reports.bucketName),
    expected: [["BAI005", "reports.bucketName"]],
    message: "bucket acme-backup-reports-111122223333 receives the server access logs of acme-backup-trail-111122223333 and logs to acme-backup-reports-logs-111122223333 itself",
  },
  {
    id: "BAI006",
    what: "a hyphen in the Glue database name",
    mutate: (c) => (c.analytics.databaseName = "backup-reports"),
    expected: [["BAI006", "analytics.databaseName"]],
    message: "Glue database name \"backup-reports\" may contain only lower-case letters, digits and underscores",
  },
  {
    id: "BAI007",
    what: "a hyphen in a report plan name",
    mutate: (c) => (c.reports.overrides = { BACKUP_JOB_REPORT: { name: "backup-jobs" } }),
    expected: [["BAI007", "reports.overrides.BACKUP_JOB_REPORT.name"]],
    message: "report plan name \"backup-jobs\" (BACKUP_JOB_REPORT) must start with a letter",
  },
  {
    id: "BAI008",
    what: "two plans with one name",
    mutate: (c) => (c.reports.overrides = { COPY_JOB_REPORT: { name: "acme_prod_backup_job_report" } }),
    expected: [
      ["BAI008", "name"],
      ["BAI008", "reports.overrides.COPY_JOB_REPORT.name"],
    ],
    message: "report plan name acme_prod_backup_job_report is used 2 times in account 111122223333 (landing zones: acme-prod)",
  },
  {
    id: "BAI009",
    what: "the Control Tower prefix",
    mutate: (c) => (c.reports.overrides = { RESTORE_JOB_REPORT: { name: "aws_controltower_restores" } }),
    expected: [["BAI009", "reports.overrides.RESTORE_JOB_REPORT.name"]],
    message: "report plan name aws_controltower_restores starts with aws_controltower_",
  },
  {
    id: "BAI011",
    what: "framework ARNs on an organization compliance report",
    mutate: (c) => (c.reports.overrides = { CONTROL_COMPLIANCE_REPORT: { frameworkArns: [FRAMEWORK] } }),
    expected: [["BAI011", "reports.overrides.CONTROL_COMPLIANCE_REPORT.frameworkArns"]],
    message: "acme_prod_control_compliance_report (CONTROL_COMPLIANCE_REPORT) reports across accounts or Regions and must not list framework ARNs (1 listed)",
  },
  {
    id: "BAI012",
    what: "numberOfFrameworks disagrees with the ARNs",
    mutate: (c) =>
      (c.reports.overrides = {
        RESOURCE_COMPLIANCE_REPORT: {
          scope: { accounts: ["111122223333"], regions: ["us-east-1"] },
          frameworkArns: [FRAMEWORK],
          numberOfFrameworks: 2,
        },
      }),
    expected: [["BAI012", "reports.overrides.RESOURCE_COMPLIANCE_REPORT.numberOfFrameworks"]],
    message: "acme_prod_resource_compliance_report sets numberOfFrameworks to 2 but lists 1 framework ARNs",
  },
  {
    id: "BAI013",
    what: "the root id among the OUs",
    mutate: (c) => (c.reports.scope.organizationalUnits = ["r-ab12"]),
    expected: [["BAI013", "reports.scope.organizationalUnits"]],
    message: "r-ab12 is an organization root id; report plans accept only organizational unit ids (ou-...)",
  },
  {
    id: "BAI014",
    what: "an 11-digit account",
    mutate: (c) => (c.reports.scope.accounts = ["ROOT", "11112222333"]),
    expected: [["BAI014", "reports.scope.accounts"]],
    message: "11112222333 is neither a 12-digit account id nor ROOT",
  },
  {
    id: "BAI015",
    what: "an unknown Region in the scope",
    mutate: (c) => (c.reports.scope.regions = ["us-east-1", "eu-middle-1"]),
    expected: [["BAI015", "reports.scope.regions"]],
    message: "eu-middle-1 is not an AWS Region name",
  },
  {
    id: "BAI015",
    what: "an unknown home Region",
    mutate: (c) => {
      c.homeRegion = "us-north-1";
      c.deployment.backend.s3.region = "us-east-1";
    },
    expected: [["BAI015", "homeRegion"]],
    message: "us-north-1 is not an AWS Region name",
  },
  {
    id: "BAI016",
    what: "cross-account plans in a member account",
    mutate: (c) => (c.reports.accountId = "444455556666"),
    expected: [["BAI016", "reports.accountId"]],
    message: "would be created in account 444455556666, which is neither the management account (111122223333) nor the delegated administrator",
  },
  {
    id: "BAI017",
    what: "two templates in one key prefix",
    mutate: (c) => (c.reports.overrides = { COPY_JOB_REPORT: { keyPrefix: "BackupJob" } }),
    expected: [["BAI017", "reports.overrides.COPY_JOB_REPORT.keyPrefix"]],
    message: "report plans acme_prod_backup_job_report (key prefix \"BackupJob\") and acme_prod_copy_job_report (key prefix \"BackupJob\") share a folder",
  },
  {
    id: "BAI017",
    what: "a key prefix inside another",
    mutate: (c) => (c.reports.overrides = { RESTORE_JOB_REPORT: { keyPrefix: "BackupJob/restores" } }),
    expected: [["BAI017", "reports.overrides.RESTORE_JOB_REPORT.keyPrefix"]],
    message: "(key prefix \"BackupJob/restores\") share a folder",
  },
  {
    id: "BAI018",
    what: "the management account as delegated administrator",
    mutate: (c) => (c.organization.delegatedAdminAccountId = "111122223333"),
    expected: [["BAI018", "organization.delegatedAdminAccountId"]],
    message: "the delegated administrator 111122223333 is the management account",
  },
  {
    id: "BAI020",
    what: "a hyphen in a framework name",
    mutate: (c) => (c.reports.frameworks = [{ name: "prod-baseline", controls: [{ name: "BACKUP_RECOVERY_POINT_ENCRYPTED" }] }]),
    expected: [["BAI020", "reports.frameworks[0].name"]],
    message: "framework name \"prod-baseline\" must start with a letter",
  },
  {
    id: "BAI021",
    what: "an unknown framework control",
    mutate: (c) =>
      (c.reports.frameworks = [
        { name: "baseline", controls: [{ name: "BACKUP_RECOVERY_POINT_ENCRYPTED" }, { name: "BACKUP_VAULT_ENCRYPTED" }] },
      ]),
    expected: [["BAI021", "reports.frameworks[0].controls[1].name"]],
    message: "BACKUP_VAULT_ENCRYPTED in framework baseline is not an AWS Backup Audit Manager control",
  },
  {
    id: "BAI022",
    what: "two tags in a control scope",
    mutate: (c) =>
      (c.reports.frameworks = [
        { name: "baseline", controls: [{ name: "BACKUP_RECOVERY_POINT_ENCRYPTED", scope: { tags: { backup: "daily", env: "prod" } } }] },
      ]),
    expected: [["BAI022", "reports.frameworks[0].controls[0].scope.tags"]],
    message: "control BACKUP_RECOVERY_POINT_ENCRYPTED of framework baseline scopes 2 tags",
  },
  {
    id: "BAI023",
    what: "an organization trail without trusted access for CloudTrail",
    mutate: (c) => (c.organization.trustedAccess = ["backup.amazonaws.com", STACKSETS]),
    expected: [["BAI023", "organization.trustedAccess"]],
    message: "auditTrail.organizationTrail is true but trusted access for cloudtrail.amazonaws.com is neither declared",
  },
  {
    id: "BAI019",
    what: "the Athena results bucket is the reports bucket",
    mutate: (c) => (c.analytics.resultsBucketName = c.reports.bucketName),
    expected: [["BAI019", "analytics.resultsBucketName"]],
    message: "bucket acme-backup-reports-111122223333 is used both as the reports bucket (reports.bucketName) and as the athenaResults bucket (analytics.resultsBucketName)",
  },
  {
    id: "BAI010",
    what: "more than 20 plans in one account across landing zones",
    mutate: (c) => (c.reports.templates = ALL_TEMPLATES),
    // 5 landing zones × 5 plans = 25 > 20.
    others: ["acme-b", "acme-c", "acme-d", "acme-e"].map((name) => (c: RawConfig) => {
      asLandingZone(name)(c);
      c.reports.templates = ALL_TEMPLATES;
    }),
    expected: [
      ["BAI010", "reports.templates", "acme-b"],
      ["BAI010", "reports.templates", "acme-c"],
      ["BAI010", "reports.templates", "acme-d"],
      ["BAI010", "reports.templates", "acme-e"],
      ["BAI010", "reports.templates"],
    ],
    message: "account 111122223333 would hold 25 report plans (landing zones: acme-b, acme-c, acme-d, acme-e, acme-prod), more than the 20 AWS Backup allows per account",
    on: "acme-b",
  },
  {
    id: "BAI008",
    what: "one plan name in two landing zones of one account",
    mutate: () => undefined,
    others: [
      (c) => {
        asLandingZone("acme-dev")(c);
        c.reports.overrides = { BACKUP_JOB_REPORT: { name: "acme_prod_backup_job_report" } };
      },
    ],
    expected: [
      ["BAI008", "reports.overrides.BACKUP_JOB_REPORT.name", "acme-dev"],
      ["BAI008", "name"],
    ],
    message: "report plan name acme_prod_backup_job_report is used 2 times in account 111122223333 (landing zones: acme-dev, acme-prod)",
    on: "acme-dev",
  },
  {
    id: "BAI024",
    what: "a 59-character reports bucket: the derived Athena results bucket name has 66",
    mutate: (c) => (c.reports.bucketName = LONG_REPORTS_BUCKET),
    expected: [["BAI024", "analytics.resultsBucketName"]],
    message: `athenaResults bucket name "${LONG_REPORTS_BUCKET}-athena" (derived from reports.bucketName + "-athena") is not a valid S3 bucket name: it has 66 characters (at most 63)`,
  },
  {
    id: "BAI024",
    what: "two adjacent dots in the trail bucket name",
    mutate: (c) => (c.auditTrail.bucketName = "acme..trail-111122223333"),
    expected: [["BAI024", "auditTrail.bucketName"]],
    message: "trail bucket name \"acme..trail-111122223333\" is not a valid S3 bucket name: it has two adjacent dots",
  },
  {
    id: "BAI025",
    what: "a second landing zone reuses the reports access-log bucket",
    mutate: () => undefined,
    others: [
      (c) => {
        asLandingZone("acme-dev")(c);
        c.reports.accessLogBucketName = "acme-backup-reports-logs-111122223333";
      },
    ],
    expected: [["BAI025", "reports.accessLogBucketName", "acme-dev"]],
    message: "bucket acme-backup-reports-logs-111122223333 (reportsAccessLog) is also a bucket of landing zone acme-prod; S3 bucket names are global",
    on: "acme-dev",
  },
  {
    id: "BAI026",
    what: "two landing zones in one reports account with the default database and workgroup",
    mutate: () => undefined,
    others: [
      (c) => {
        asLandingZone("acme-dev")(c);
        delete c.analytics.databaseName;
        delete c.analytics.workgroup;
      },
    ],
    expected: [
      ["BAI026", "analytics.databaseName", "acme-dev"],
      ["BAI026", "analytics.workgroup", "acme-dev"],
    ],
    message: "Glue database backup_reports in account 111122223333, Region us-east-1 is also the database of landing zone acme-prod",
    on: "acme-dev",
  },
  {
    id: "BAI027",
    what: "an organization trail in a log-archive account",
    mutate: (c) => (c.auditTrail.accountId = "444455556666"),
    expected: [["BAI027", "auditTrail.accountId"]],
    message: "auditTrail.organizationTrail is true but the trail would be created in account 444455556666, not in the management account 111122223333",
  },
  {
    id: "BAI030",
    what: "organization compliance reports without member frameworks",
    mutate: (c) => delete c.reports.memberFrameworks,
    expected: [["BAI030", "reports.memberFrameworks"]],
    message: "compliance report plans acme_prod_control_compliance_report, acme_prod_resource_compliance_report cover other accounts, but no framework is deployed into those accounts",
  },
  {
    id: "BAI031",
    what: "member frameworks without frameworks",
    mutate: (c) => {
      c.reports.frameworks = [];
      c.reports.templates = ["BACKUP_JOB_REPORT"];
    },
    expected: [["BAI031", "reports.memberFrameworks"]],
    message: "reports.memberFrameworks is set but reports.frameworks is empty",
  },
  {
    id: "BAI032",
    what: "a frameworks StackSet without trusted access for StackSets",
    mutate: (c) => (c.organization.trustedAccess = ["backup.amazonaws.com", "cloudtrail.amazonaws.com"]),
    expected: [["BAI032", "organization.trustedAccess"]],
    message: "reports.memberFrameworks deploys a service-managed StackSet, but trusted access for member.org.stacksets.cloudformation.amazonaws.com",
  },
  {
    id: "BAI033",
    what: "a frameworks StackSet for a scope of accounts only",
    mutate: (c) => {
      c.reports.templates = ["CONTROL_COMPLIANCE_REPORT"];
      c.reports.scope.accounts = ["444455556666"];
    },
    expected: [["BAI033", "reports.memberFrameworks.organizationalUnits"]],
    message: "a service-managed StackSet deploys to OUs only",
  },
  {
    id: "BAI035",
    what: "a trail without its access-log bucket",
    mutate: (c) => delete c.auditTrail.accessLogBucketName,
    expected: [["BAI035", "auditTrail.accessLogBucketName"]],
    message: "auditTrail creates a trail but sets no accessLogBucketName",
  },
  {
    id: "BAI036",
    what: "a bucket name beside an existing trail",
    mutate: (c) => {
      delete c.auditTrail.accessLogBucketName;
      c.auditTrail.existingTrail = { bucketName: "aws-controltower-logs-333344445555-us-east-1", bucketAccountId: "333344445555" };
    },
    expected: [["BAI036", "auditTrail.bucketName"]],
    message: "auditTrail.bucketName is set, but auditTrail.existingTrail names an existing trail",
  },
  {
    id: "BAI028",
    what: "two landing zones of one organization manage its trusted access and global settings",
    mutate: (c) => {
      c.organization.manageTrustedAccess = true;
    },
    others: [
      (c) => {
        asLandingZone("acme-dev")(c);
        c.organization.manageTrustedAccess = true;
        c.organization.globalSettings = { isCrossAccountBackupEnabled: true, isMpaEnabled: false, isDelegatedAdministratorEnabled: true };
      },
    ],
    expected: [
      ["BAI028", "organization.globalSettings", "acme-dev"],
      ["BAI028", "organization.manageTrustedAccess", "acme-dev"],
    ],
    message: "organization.globalSettings manages an organization-level resource of o-abc123def4, which landing zone acme-prod already manages",
    on: "acme-dev",
  },
  {
    id: "BAI045",
    what: "a KMS key of another Region for the reports bucket",
    mutate: (c) => (c.reports.kmsKeyArn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    expected: [["BAI045", "reports.kmsKeyArn"]],
    message: "is in eu-west-1 (partition aws) but the reports bucket is in us-east-1 (partition aws)",
  },
  {
    id: "BAI046",
    what: "a report plan scope with a GovCloud Region",
    mutate: (c) => (c.reports.scope.regions = ["us-east-1", "us-gov-west-1"]),
    expected: [
      ["BAI046", "reports.scope.regions"],
      ["BAI046", "reports.scope.regions"],
      ["BAI046", "reports.scope.regions"],
      ["BAI046", "reports.scope.regions"],
      ["BAI046", "reports.scope.regions"],
    ],
    message: "in us-east-1 (partition aws) cannot cover us-gov-west-1 (partition aws-us-gov)",
  },
  {
    id: "BAI047",
    what: "alert addresses with analytics disabled",
    mutate: (c) => {
      c.analytics = { ...(c.analytics as object), enabled: false };
      c.alerts = { emails: ["ops@example.com"] };
    },
    expected: [["BAI047", "alerts.emails"]],
    message: "alerts.emails lists 1 address(es) but analytics.enabled is false",
  },
  {
    id: "BAI048",
    what: "a parameter the control does not take",
    mutate: (c) => (c.reports.frameworks[0].controls[0].parameters = { requiredRetentionDays: "35" }),
    expected: [["BAI048", "reports.frameworks[0].controls[0].parameters.requiredRetentionDays"]],
    message: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN in framework acme_backup_baseline takes no input parameters, but parameters lists requiredRetentionDays",
  },
  {
    id: "BAI049",
    what: "a frequency unit outside AWS's list and a retention that is not a number",
    mutate: (c) =>
      (c.reports.frameworks[0].controls = [
        {
          name: "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
          parameters: { requiredFrequencyUnit: "weeks", requiredFrequencyValue: "1", requiredRetentionDays: "thirty-five" },
        },
      ]),
    expected: [
      ["BAI049", "reports.frameworks[0].controls[0].parameters.requiredFrequencyUnit"],
      ["BAI049", "reports.frameworks[0].controls[0].parameters.requiredRetentionDays"],
    ],
    message: "requiredFrequencyUnit is \"weeks\", which is not a unit AWS accepts: days or hours",
  },
  {
    id: "BAI050",
    what: "16 frameworks in the member accounts of one Region",
    mutate: (c) => (c.reports.frameworks = numberedFrameworks(16, 1)),
    expected: [["BAI050", "reports.frameworks"]],
    message: "AWS Backup allows 15 frameworks per account and Region: every member account of o-abc123def4 in us-east-1 would hold 16 (landing zones: acme-prod)",
  },
  {
    id: "BAI050",
    what: "two landing zones whose StackSets together put 16 frameworks into every member account",
    mutate: (c) => (c.reports.frameworks = numberedFrameworks(8, 1)),
    others: [
      (c) => {
        asLandingZone("acme-dev")(c);
        c.reports.frameworks = numberedFrameworks(8, 100);
      },
    ],
    expected: [
      ["BAI050", "reports.frameworks", "acme-dev"],
      ["BAI050", "reports.frameworks", "acme-prod"],
    ],
    message: "every member account of o-abc123def4 in us-east-1 would hold 16 (landing zones: acme-dev, acme-prod)",
    on: "acme-dev",
  },
  {
    id: "BAI051",
    what: "51 controls in one account and Region",
    mutate: (c) =>
      (c.reports.frameworks = [
        { name: "many_controls", controls: Array.from({ length: 51 }, () => ({ name: "BACKUP_RECOVERY_POINT_ENCRYPTED" })) },
      ]),
    expected: [["BAI051", "reports.frameworks"]],
    message: "AWS Backup allows 50 framework controls per account and Region (a control in two frameworks counts twice): every member account of o-abc123def4 in us-east-1 would hold 51",
  },
  {
    id: "BAI052",
    what: "two frameworks with the same controls and parameters",
    mutate: (c) => c.reports.frameworks.push({ ...c.reports.frameworks[0], name: "acme_backup_copy" }),
    expected: [["BAI052", "reports.frameworks[1]"]],
    message: "framework acme_backup_copy has the same controls and parameters as framework acme_backup_baseline of landing zone acme-prod",
  },
  {
    id: "BAI053",
    what: "a trail reader role of another account than the analytics account",
    mutate: (c) => {
      c.auditTrail.bucketAccountId = "333344445555";
      c.auditTrail.readerRoleArns = ["arn:aws:iam::111122223333:role/BackupAuditReader", "arn:aws:iam::444455556666:role/Reader"];
    },
    expected: [["BAI053", "auditTrail.readerRoleArns[1]"]],
    message: "arn:aws:iam::444455556666:role/Reader is a role of account 444455556666, but the trail bucket's read grant is for the analytics account 111122223333",
  },
];

/** n frameworks, each with its own name and minimum retention (first, first + 1, ...). */
function numberedFrameworks(n: number, first: number): RawConfig[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `baseline_${first + i}`,
    controls: [{ name: "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", parameters: { requiredRetentionDays: String(first + i) } }],
  }));
}

/** The raw configs of a case: the changed example first, then the other landing zones. */
function configsOf(c: Case): RawConfig[] {
  return [c.mutate, ...(c.others ?? [])].map((mutate) => {
    const raw = exampleRaw();
    mutate(raw);
    return raw;
  });
}

function expectedOf(c: Case): Array<[string, string, string]> {
  return c.expected.map(([id, p, lz]) => [id, p, lz ?? "acme-prod"]);
}

function triples(vs: Violation[]): Array<[string, string, string]> {
  return vs.map((v) => [v.id, v.path, v.landingZone ?? ""]);
}

describe("config policies (compiled Rego)", () => {
  it("pass the example config", async () => {
    expect(await evaluateConfigPolicies([mutatedLandingZone(() => undefined)])).toEqual([]);
  });

  it("pass an empty run", async () => {
    expect(await evaluateConfigPolicies([])).toEqual([]);
  });

  it.each(cases)("$id: $what", async (c) => {
    const lzs = configsOf(c).map((raw) => normalizedFromRaw(raw, `/configs/${raw.name}.yaml`));
    const vs = await evaluateConfigPolicies(lzs);
    expect(triples(vs)).toEqual(expectedOf(c));
    const first = vs.find((v) => v.id === c.id);
    const on = c.on ?? "acme-prod";
    expect(first?.message).toContain(c.message);
    expect(first?.landingZone).toBe(on);
    expect(first?.file).toBe(`/configs/${on}.yaml`);
    expect(first?.fix.length).toBeGreaterThan(10);
  });

  it("pass landing zones that share the accounts but have names of their own", async () => {
    const lzs = ["acme-prod", "acme-b", "acme-c"].map((name) =>
      mutatedLandingZone((c) => {
        if (name !== "acme-prod") asLandingZone(name)(c);
        c.reports.templates = ALL_TEMPLATES;
      }, `/configs/${name}.yaml`),
    );
    // 3 landing zones × 5 plans = 15: within the quota; distinct buckets, databases, workgroups, plan names.
    expect(await evaluateConfigPolicies(lzs)).toEqual([]);
  });

  it("BAI024: the gate sees the derived Athena results bucket name untruncated", () => {
    const lz = mutatedLandingZone((c) => (c.reports.bucketName = LONG_REPORTS_BUCKET));
    expect(lz.buckets.find((b) => b.role === "athenaResults")?.name).toBe(`${LONG_REPORTS_BUCKET}-athena`);
  });

  it("BAI025/BAI026: the later landing zone of the run is reported", async () => {
    const prod = mutatedLandingZone(() => undefined, "/configs/acme-prod.yaml");
    const dev = mutatedLandingZone((c) => {
      asLandingZone("acme-dev")(c);
      c.auditTrail.bucketName = "acme-backup-trail-111122223333";
      c.analytics.workgroup = "backup-reports";
    }, "/configs/acme-dev.yaml");
    expect(triples(await evaluateConfigPolicies([dev, prod]))).toEqual([
      ["BAI025", "auditTrail.bucketName", "acme-prod"],
      ["BAI026", "analytics.workgroup", "acme-prod"],
    ]);
  });

  it("a plan limited to the reports account and Region may use JSON and frameworks", async () => {
    const lz = mutatedLandingZone(
      (c) =>
        (c.reports.overrides = {
          CONTROL_COMPLIANCE_REPORT: {
            scope: { accounts: ["111122223333"], organizationalUnits: [], regions: ["us-east-1"] },
            formats: ["JSON"],
            frameworkArns: [FRAMEWORK],
            numberOfFrameworks: 1,
          },
        }),
    );
    expect(await evaluateConfigPolicies([lz])).toEqual([]);
  });
});

/**
 * The requirement, for every case above: a config that breaks the rule fails `validate` and synth with
 * the rule's id. One policy load serves all cases (the gate caches the compiled Wasm per process).
 */
describe("every config rule fails validate and synth", () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(path.join(os.tmpdir(), "policies-config-"));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  function writeConfigs(c: Case): string[] {
    return configsOf(c).map((raw) => {
      const file = path.join(work, `${raw.name}.yaml`);
      writeFileSync(file, stringify(raw));
      return file;
    });
  }

  it.each(cases)("$id: $what", async (c) => {
    const files = writeConfigs(c);

    let stdout = "";
    let stderr = "";
    const code = await runValidateCommand(
      { configs: files, format: "json" },
      { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    );
    expect(code).toBe(1);
    const reported = JSON.parse(stdout) as Violation[];
    expect(reported.map((v) => v.id)).toContain(c.id);
    expect(triples(reported)).toEqual(expectedOf(c));
    expect(stderr).toContain(`${c.expected.length} policy violation(s)`);

    const outdir = path.join(work, "cdktf.out");
    const outcome = await synthesizeLandingZones(await loadLandingZones(files), {
      outdir,
      gates: { config: evaluateConfigPolicies, terraform: evaluateTerraformPolicies },
    });
    expect(outcome).toMatchObject({ ok: false, stage: "config-policies" });
    if (outcome.ok) return;
    expect(outcome.violations.map((v) => v.id)).toContain(c.id);
    expect(triples(outcome.violations)).toEqual(expectedOf(c));
    expect(existsSync(outdir)).toBe(false);
    // Nothing else either (no scratch folder next to it).
    expect(readdirSync(work).sort()).toEqual(files.map((f) => path.basename(f)).sort());
  });
});
