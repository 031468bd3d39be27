import { BackupFrameworks } from "../stacks/constructs/backup-frameworks";
import { ReportPlans } from "../stacks/constructs/report-plans";
import { ReportingStack } from "../stacks/reporting-stack";
import {
  cleanup,
  exampleInput,
  landingZone,
  onlyResource,
  resourceList,
  resourceWhere,
  statementBySid,
  statementsOf,
  synthConstruct,
  synthStack,
  testApp,
} from "./helpers/landing-zone";

afterAll(cleanup);

const SLR_ARN =
  "arn:aws:iam::111122223333:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports";

describe("ReportPlans", () => {
  it("creates one CSV plan per template with its own prefix and the organization scope", () => {
    const lz = landingZone();
    const tf = synthConstruct((s) => new ReportPlans(s, "plans", { plans: lz.reports.plans, bucketName: "reports-bkt" }));
    const plans = resourceList(tf, "aws_backup_report_plan");
    expect(plans).toHaveLength(5);
    const expected: Array<[string, string]> = [
      ["BACKUP_JOB_REPORT", "BackupJob"],
      ["COPY_JOB_REPORT", "CopyJob"],
      ["RESTORE_JOB_REPORT", "RestoreJob"],
      ["CONTROL_COMPLIANCE_REPORT", "ControlCompliance"],
      ["RESOURCE_COMPLIANCE_REPORT", "ResourceCompliance"],
    ];
    for (const [template, prefix] of expected) {
      const plan = resourceWhere(tf, "aws_backup_report_plan", "name", `acme_prod_${template.toLowerCase()}`);
      expect(plan.report_delivery_channel).toEqual({ s3_bucket_name: "reports-bkt", s3_key_prefix: prefix, formats: ["CSV"] });
      // Empty OU and framework lists are left out, not sent as [].
      expect(plan.report_setting).toEqual({ report_template: template, accounts: ["ROOT"], regions: ["*"] });
      expect(plan.description).toBe(`${template} for landing zone acme-prod (managed by backup-audit-insights)`);
    }
  });

  it("applies per-template overrides: OUs, single account/Region JSON, frameworks on compliance only", () => {
    const input = exampleInput();
    const lz = landingZone({
      reports: {
        ...input.reports,
        keyPrefixRoot: "reports",
        overrides: {
          BACKUP_JOB_REPORT: { scope: { accounts: [], organizationalUnits: ["ou-ab12-34cd56ef"], regions: ["us-east-1", "eu-west-1"] } },
          COPY_JOB_REPORT: { formats: ["JSON"], scope: { accounts: ["111122223333"], regions: ["us-east-1"] } },
          CONTROL_COMPLIANCE_REPORT: {
            scope: { accounts: ["111122223333"], regions: ["us-east-1"] },
            frameworkArns: ["arn:aws:backup:us-east-1:111122223333:framework:a", "arn:aws:backup:us-east-1:111122223333:framework:b"],
          },
          RESOURCE_COMPLIANCE_REPORT: { numberOfFrameworks: 0 },
        },
      },
    });
    const tf = synthConstruct((s) => new ReportPlans(s, "plans", { plans: lz.reports.plans, bucketName: "b" }));
    const byTemplate = (t: string) => resourceWhere(tf, "aws_backup_report_plan", "name", `acme_prod_${t.toLowerCase()}`);

    expect(byTemplate("BACKUP_JOB_REPORT").report_setting).toEqual({
      report_template: "BACKUP_JOB_REPORT",
      organization_units: ["ou-ab12-34cd56ef"],
      regions: ["us-east-1", "eu-west-1"],
    });
    expect(byTemplate("BACKUP_JOB_REPORT").report_delivery_channel).toEqual({
      s3_bucket_name: "b",
      s3_key_prefix: "reports/BackupJob",
      formats: ["CSV"],
    });
    expect(byTemplate("COPY_JOB_REPORT").report_delivery_channel).toMatchObject({ formats: ["JSON"] });
    expect(byTemplate("CONTROL_COMPLIANCE_REPORT").report_setting).toEqual({
      report_template: "CONTROL_COMPLIANCE_REPORT",
      accounts: ["111122223333"],
      regions: ["us-east-1"],
      framework_arns: ["arn:aws:backup:us-east-1:111122223333:framework:a", "arn:aws:backup:us-east-1:111122223333:framework:b"],
      number_of_frameworks: 2,
    });
    expect(byTemplate("RESOURCE_COMPLIANCE_REPORT").report_setting).toEqual({
      report_template: "RESOURCE_COMPLIANCE_REPORT",
      accounts: ["ROOT"],
      regions: ["*"],
      number_of_frameworks: 0,
    });
  });

  it("never sends framework settings for job templates", () => {
    const input = exampleInput();
    const lz = landingZone({
      reports: {
        ...input.reports,
        overrides: { BACKUP_JOB_REPORT: { frameworkArns: ["arn:aws:backup:us-east-1:111122223333:framework:a"], numberOfFrameworks: 1 } },
      },
    });
    const tf = synthConstruct((s) => new ReportPlans(s, "plans", { plans: lz.reports.plans, bucketName: "b" }));
    const setting = resourceWhere(tf, "aws_backup_report_plan", "name", "acme_prod_backup_job_report").report_setting;
    expect(setting).toEqual({ report_template: "BACKUP_JOB_REPORT", accounts: ["ROOT"], regions: ["*"] });
  });
});

describe("BackupFrameworks", () => {
  it("creates controls with sorted input parameters and scope", () => {
    const input = exampleInput();
    const lz = landingZone({
      reports: {
        ...input.reports,
        frameworks: [
          {
            name: "backup_baseline",
            description: "baseline",
            controls: [
              { name: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN" },
              {
                name: "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
                parameters: { requiredRetentionDays: "35", requiredFrequencyUnit: "hours", requiredFrequencyValue: "24" },
                scope: { complianceResourceTypes: ["EBS", "RDS"], tags: { backup: "daily" } },
              },
            ],
          },
        ],
      },
    });
    const tf = synthConstruct((s) => new BackupFrameworks(s, "fw", { frameworks: lz.reports.frameworks }));
    expect(onlyResource(tf, "aws_backup_framework")).toEqual({
      name: "backup_baseline",
      description: "baseline",
      control: [
        { name: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN" },
        {
          name: "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
          input_parameter: [
            { name: "requiredFrequencyUnit", value: "hours" },
            { name: "requiredFrequencyValue", value: "24" },
            { name: "requiredRetentionDays", value: "35" },
          ],
          scope: { compliance_resource_types: ["EBS", "RDS"], tags: { backup: "daily" } },
        },
      ],
    });
  });
});

describe("ReportingStack", () => {
  const lz = landingZone();
  const tf = synthStack(new ReportingStack(testApp(), lz));

  it("has the reports bucket and its log bucket, the reports bucket logging to the other one", () => {
    expect(resourceList(tf, "aws_s3_bucket").map((b) => b.bucket).sort()).toEqual([
      "acme-backup-reports-111122223333",
      "acme-backup-reports-logs-111122223333",
    ]);
    const logging = onlyResource(tf, "aws_s3_bucket_logging");
    expect(logging.bucket).toBe("acme-backup-reports-111122223333");
    expect(logging.target_bucket).toBe("acme-backup-reports-logs-111122223333");
    // Logging waits for the log bucket's grant.
    expect((logging.depends_on as string[]).some((d) => d.startsWith("aws_s3_bucket_policy.access-log-bucket_"))).toBe(true);
  });

  it("retains reports and access logs as configured", () => {
    const lc = (bucket: string) =>
      (resourceWhere(tf, "aws_s3_bucket_lifecycle_configuration", "bucket", bucket).rule as Array<Record<string, unknown>>)[0];
    expect(lc("acme-backup-reports-111122223333").expiration).toEqual([{ days: 400 }]);
    expect(lc("acme-backup-reports-111122223333").noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    expect(lc("acme-backup-reports-logs-111122223333").expiration).toEqual([{ days: 365 }]);
  });

  it("turns EventBridge on for the reports bucket (analytics enabled)", () => {
    expect(onlyResource(tf, "aws_s3_bucket_notification")).toMatchObject({
      bucket: "acme-backup-reports-111122223333",
      eventbridge: true,
    });
    const off = synthStack(new ReportingStack(testApp(), landingZone({ analytics: { enabled: false } })));
    expect(resourceList(off, "aws_s3_bucket_notification")).toHaveLength(0);
  });

  it("puts the SLR grant and the TLS deny into one reports bucket policy", () => {
    const policy = resourceWhere(tf, "aws_s3_bucket_policy", "bucket", "acme-backup-reports-111122223333");
    expect(statementsOf(policy.policy).map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "AllowBackupReportsDelivery"]);
    expect(statementBySid(policy.policy, "AllowBackupReportsDelivery")).toEqual({
      Sid: "AllowBackupReportsDelivery",
      Effect: "Allow",
      Principal: { AWS: SLR_ARN },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::acme-backup-reports-111122223333/*",
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
    });
    expect(statementBySid(policy.policy, "DenyInsecureTransport").Condition).toEqual({
      Bool: { "aws:SecureTransport": "false" },
    });
  });

  it("lets the log bucket receive logs from the reports and Athena results buckets", () => {
    const policy = resourceWhere(tf, "aws_s3_bucket_policy", "bucket", "acme-backup-reports-logs-111122223333");
    expect(statementBySid(policy.policy, "AllowS3ServerAccessLogDelivery").Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "111122223333" },
      ArnLike: {
        "aws:SourceArn": ["arn:aws:s3:::acme-backup-reports-111122223333", "arn:aws:s3:::acme-backup-reports-111122223333-athena"],
      },
    });
  });

  it("without an explicit SLR: the policy depends on every report plan, and no SLR resource exists", () => {
    expect(resourceList(tf, "aws_iam_service_linked_role")).toHaveLength(0);
    const policy = resourceWhere(tf, "aws_s3_bucket_policy", "bucket", "acme-backup-reports-111122223333");
    const deps = policy.depends_on as string[];
    const planIds = Object.keys(tf.resource?.aws_backup_report_plan ?? {});
    expect(planIds).toHaveLength(5);
    for (const id of planIds) expect(deps).toContain(`aws_backup_report_plan.${id}`);
  });

  it("with createServiceLinkedRole: the policy names the SLR resource and the plans wait for it", () => {
    const input = exampleInput();
    const slrTf = synthStack(
      new ReportingStack(testApp(), landingZone({ reports: { ...input.reports, createServiceLinkedRole: true } })),
    );
    const slrId = Object.keys(slrTf.resource?.aws_iam_service_linked_role ?? {});
    expect(slrId).toHaveLength(1);
    expect(onlyResource(slrTf, "aws_iam_service_linked_role").aws_service_name).toBe("reports.backup.amazonaws.com");
    const policy = resourceWhere(slrTf, "aws_s3_bucket_policy", "bucket", "acme-backup-reports-111122223333");
    expect(statementBySid(policy.policy, "AllowBackupReportsDelivery").Principal).toEqual({
      AWS: `\${aws_iam_service_linked_role.${slrId[0]}.arn}`,
    });
    expect((policy.depends_on as string[]).some((d) => d.startsWith("aws_backup_report_plan."))).toBe(false);
    for (const plan of resourceList(slrTf, "aws_backup_report_plan")) {
      expect(plan.depends_on).toContain(`aws_iam_service_linked_role.${slrId[0]}`);
    }
  });

  it("leaves the SLR grant out when nothing would create the role (no plans, frameworks or explicit SLR)", () => {
    // No config has zero plans (the schema needs one template); the construct is built without any all the same.
    const lz = landingZone();
    const none = synthStack(new ReportingStack(testApp(), { ...lz, reports: { ...lz.reports, plans: [] } }));
    expect(resourceList(none, "aws_backup_report_plan")).toHaveLength(0);
    const policy = resourceWhere(none, "aws_s3_bucket_policy", "bucket", "acme-backup-reports-111122223333");
    expect(statementsOf(policy.policy).map((s) => s.Sid)).toEqual(["DenyInsecureTransport"]);
  });

  it("uses the KMS key for the reports bucket only (the log bucket stays SSE-S3)", () => {
    const input = exampleInput();
    const key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const kmsTf = synthStack(new ReportingStack(testApp(), landingZone({ reports: { ...input.reports, kmsKeyArn: key } })));
    const sse = (bucket: string) =>
      resourceWhere(kmsTf, "aws_s3_bucket_server_side_encryption_configuration", "bucket", bucket).rule;
    expect(sse("acme-backup-reports-111122223333")).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: key }, bucket_key_enabled: true },
    ]);
    expect(sse("acme-backup-reports-logs-111122223333")).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
  });
});
