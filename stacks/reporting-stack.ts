import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import type { NormalizedLandingZone } from "../config/types";
import { AccountStack } from "./account-stack";
import { backupReportsServiceLinkedRoleArn, s3BucketArn } from "./aws-partition";
import { BackupFrameworks } from "./constructs/backup-frameworks";
import type { PolicyStatement } from "./constructs/policy-document";
import { ReportPlans } from "./constructs/report-plans";
import { SecureBucket } from "./constructs/secure-bucket";

/** Names of the buckets whose access logs go to `logBucketName` (from the landing zone's bucket list). */
export function logSourcesOf(lz: NormalizedLandingZone, logBucketName: string): string[] {
  return lz.buckets.filter((b) => b.logTarget === logBucketName).map((b) => b.name);
}

/**
 * Reporting stack (reports account, reports Region): the reports bucket and its access-log bucket, the
 * bucket policy for the Backup reports service-linked role, the report plans and optional frameworks.
 *
 * Ordering trap (fact sheet §5.1): the policy names `AWSServiceRoleForBackupReports`, which AWS Backup creates
 * with the first report plan or framework; a policy naming a role that does not exist fails with "Invalid
 * principal". Either the role is created explicitly (`createServiceLinkedRole`; the plans then wait for it,
 * or Backup would create it first and the explicit creation would fail) or the policy waits for the plans.
 */
export class ReportingStack extends AccountStack {
  /** The bucket the report plans deliver to. */
  readonly reportsBucket: SecureBucket;
  /** The reports bucket's separate server-access-log bucket. */
  readonly accessLogBucket: SecureBucket;
  /** One report plan per template. */
  readonly reportPlans: ReportPlans;
  /** The configured AWS Backup frameworks (possibly none). */
  readonly frameworks: BackupFrameworks;
  /** AWSServiceRoleForBackupReports, when `reports.createServiceLinkedRole` is true. */
  readonly serviceLinkedRole?: IamServiceLinkedRole;

  constructor(scope: Construct, lz: NormalizedLandingZone) {
    super(scope, { landingZone: lz, kind: "reporting", accountId: lz.reports.accountId, region: lz.reports.region });
    const r = lz.reports;

    this.accessLogBucket = new SecureBucket(this, "access-log-bucket", {
      bucketName: r.accessLogBucketName,
      partition: this.partition,
      lifecycle: { expirationDays: r.retention.accessLogDays, noncurrentVersionDays: r.retention.noncurrentVersionDays },
      logTarget: { sourceBucketNames: logSourcesOf(lz, r.accessLogBucketName), sourceAccountId: r.accountId },
    });

    let slrPrincipal = backupReportsServiceLinkedRoleArn(this.partition, r.accountId);
    if (r.createServiceLinkedRole) {
      this.serviceLinkedRole = new IamServiceLinkedRole(this, "backup-reports-slr", {
        awsServiceName: "reports.backup.amazonaws.com",
        description: "AWS Backup Audit Manager report delivery (backup-audit-insights)",
      });
      // A reference, not the literal ARN: Terraform then creates the role before the policy.
      slrPrincipal = this.serviceLinkedRole.arn;
    }

    this.reportsBucket = new SecureBucket(this, "reports-bucket", {
      bucketName: r.bucketName,
      partition: this.partition,
      kmsKeyArn: r.kmsKeyArn,
      lifecycle: { expirationDays: r.retention.reportDays, noncurrentVersionDays: r.retention.noncurrentVersionDays },
      accessLogging: { targetBucketName: r.accessLogBucketName, targetDependsOn: [this.accessLogBucket.policy] },
      // S3 → EventBridge "Object Created" drives the partitioner in the analytics stack.
      eventBridge: lz.analytics.enabled,
      // Without any plan, framework or explicit role nothing would create the role the grant names.
      policyStatements:
        r.plans.length > 0 || r.frameworks.length > 0 || r.createServiceLinkedRole
          ? [reportDeliveryStatement(slrPrincipal, s3BucketArn(this.partition, r.bucketName))]
          : [],
    });

    const firstDeps: ITerraformDependable[] = [this.reportsBucket.bucket];
    if (this.serviceLinkedRole) firstDeps.push(this.serviceLinkedRole);
    this.reportPlans = new ReportPlans(this, "report-plans", {
      plans: r.plans,
      bucketName: r.bucketName,
      dependsOn: firstDeps,
    });
    this.frameworks = new BackupFrameworks(this, "frameworks", {
      frameworks: r.frameworks,
      dependsOn: this.serviceLinkedRole ? [this.serviceLinkedRole] : undefined,
    });
    if (!this.serviceLinkedRole) {
      this.reportsBucket.policyDependsOn(...this.reportPlans.resources, ...this.frameworks.frameworks);
    }
  }
}

/** AWS's documented grant for report delivery (fact sheet §5.1). */
export function reportDeliveryStatement(serviceLinkedRoleArn: string, bucketArn: string): PolicyStatement {
  return {
    Sid: "AllowBackupReportsDelivery",
    Effect: "Allow",
    Principal: { AWS: serviceLinkedRoleArn },
    Action: "s3:PutObject",
    Resource: `${bucketArn}/*`,
    Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
  };
}
