import { evaluateConfigPolicies, type Violation } from "../policies/gate";
import { mutatedLandingZone, type RawConfig } from "./policies-fixtures";

/**
 * Every config rule, broken through the config file the way a user would break it (the example, one field
 * changed), evaluated by the compiled Wasm policy: the id, the field path and the message must come out right,
 * and nothing else may fire.
 */

const FRAMEWORK = "arn:aws:backup:us-east-1:111122223333:framework:baseline-1a2b3c";

interface Case {
  id: string;
  what: string;
  mutate: (c: RawConfig) => void;
  /** Every violation expected, as [id, path]. */
  expected: Array<[string, string]>;
  /** A fragment of the message of the first expected violation with this case's id. */
  message: string;
}

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
    // The example has an organization trail, so CloudTrail's trusted access is missing too.
    expected: [
      ["BAI002", "organization.trustedAccess"],
      ["BAI023", "organization.trustedAccess"],
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
    mutate: (c) => (c.organization.trustedAccess = ["backup.amazonaws.com"]),
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
];

function pairs(vs: Violation[]): Array<[string, string]> {
  return vs.map((v) => [v.id, v.path] as [string, string]);
}

describe("config policies (compiled Rego)", () => {
  it("pass the example config", async () => {
    expect(await evaluateConfigPolicies([mutatedLandingZone(() => undefined)])).toEqual([]);
  });

  it("pass an empty run", async () => {
    expect(await evaluateConfigPolicies([])).toEqual([]);
  });

  it.each(cases)("$id: $what", async ({ id, mutate, expected, message }) => {
    const vs = await evaluateConfigPolicies([mutatedLandingZone(mutate)]);
    expect(pairs(vs)).toEqual(expected);
    const first = vs.find((v) => v.id === id);
    expect(first?.message).toContain(message);
    expect(first?.landingZone).toBe("acme-prod");
    expect(first?.file).toBe("/configs/acme-prod.yaml");
    expect(first?.fix.length).toBeGreaterThan(10);
  });

  it("BAI010: more than 20 plans in one account across landing zones", async () => {
    const all = ["BACKUP_JOB_REPORT", "COPY_JOB_REPORT", "RESTORE_JOB_REPORT", "CONTROL_COMPLIANCE_REPORT", "RESOURCE_COMPLIANCE_REPORT", "SCAN_JOB_REPORT"];
    const lzs = ["acme-a", "acme-b", "acme-c", "acme-d"].map((name) =>
      mutatedLandingZone((c) => {
        c.name = name;
        c.reports.templates = all;
      }, `/configs/${name}.yaml`),
    );
    const vs = await evaluateConfigPolicies(lzs);
    expect(pairs(vs)).toEqual(lzs.map(() => ["BAI010", "reports.templates"]));
    expect(vs.map((v) => v.landingZone)).toEqual(["acme-a", "acme-b", "acme-c", "acme-d"]);
    expect(vs[0].message).toBe(
      "account 111122223333 would hold 24 report plans (landing zones: acme-a, acme-b, acme-c, acme-d), more than the 20 AWS Backup allows per account",
    );
    // 3 landing zones × 6 plans = 18: within the quota.
    expect(await evaluateConfigPolicies(lzs.slice(0, 3))).toEqual([]);
  });

  it("BAI008: one plan name in two landing zones of one account", async () => {
    const a = mutatedLandingZone(() => undefined, "/configs/a.yaml");
    const b = mutatedLandingZone((c) => (c.name = "acme-dev"), "/configs/b.yaml");
    b.reports.plans[0].name = a.reports.plans[0].name;
    const vs = await evaluateConfigPolicies([a, b]);
    expect(vs.map((v) => [v.file, v.id, v.path])).toEqual([
      ["/configs/a.yaml", "BAI008", "name"],
      ["/configs/b.yaml", "BAI008", "name"],
    ]);
    expect(vs[0].message).toBe(
      "report plan name acme_prod_backup_job_report is used 2 times in account 111122223333 (landing zones: acme-dev, acme-prod)",
    );
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
