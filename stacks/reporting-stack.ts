import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import type { NormalizedLandingZone } from "../config/types";
import { AccountStack } from "./account-stack";
import { backupReportsServiceLinkedRoleArn, s3BucketArn } from "./aws-partition";
import { BackupFrameworks } from "./constructs/backup-frameworks";
import type { CustomerManagedKey } from "./constructs/kms-key";
import type { PolicyStatement } from "./constructs/policy-document";
import { ReportPlans } from "./constructs/report-plans";
import { SecureBucket } from "./constructs/secure-bucket";
import { reportsKeyAlias, reportsKeyStatements } from "./key-policies";

/** Names of the buckets whose access logs go to `logBucketName` (from the landing zone's bucket list). */
export function logSourcesOf(lz: NormalizedLandingZone, logBucketName: string): string[] {
  return lz.buckets.filter((b) => b.logTarget === logBucketName).map((b) => b.name);
}

/**
 * Reporting stack (reports account, reports Region): the reports bucket and its access-log bucket, the
 * bucket policy for the Backup reports service-linked role, the report plans, the frameworks (here only when
 * they are not deployed into the member accounts by the StackSet, which also reaches this account when it is in
 * a target OU: two frameworks of one name in one account would collide) and, on request, the reports key.
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
  /** The reports key, when the landing zone creates keys and names none. */
  readonly key?: CustomerManagedKey;

  constructor(scope: Construct, lz: NormalizedLandingZone) {
    super(scope, { landingZone: lz, kind: "reporting", accountId: lz.reports.accountId, region: lz.reports.region });
    const r = lz.reports;
    const localFrameworks = r.memberFrameworks ? [] : r.frameworks;

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

    // Its policy names the service-linked role, so it waits for the role (explicit, or created by the plans).
    const key = this.keyFor("reports-key", r.kmsKeyArn, {
      alias: reportsKeyAlias(lz),
      description: `AWS Backup reports of ${lz.name} and their normalised copies (backup-audit-insights)`,
      statements: reportsKeyStatements(lz),
    });
    this.key = key.key;

    this.reportsBucket = new SecureBucket(this, "reports-bucket", {
      bucketName: r.bucketName,
      partition: this.partition,
      kmsKeyArn: key.arn,
      lifecycle: { expirationDays: r.retention.reportDays, noncurrentVersionDays: r.retention.noncurrentVersionDays },
      accessLogging: { targetBucketName: r.accessLogBucketName, targetDependsOn: [this.accessLogBucket.policy] },
      // S3 → EventBridge "Object Created" drives the partitioner in the analytics stack.
      eventBridge: lz.analytics.enabled,
      // Without any plan, framework or explicit role nothing would create the role the grant names.
      policyStatements:
        r.plans.length > 0 || localFrameworks.length > 0 || r.createServiceLinkedRole
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
      frameworks: localFrameworks,
      dependsOn: this.serviceLinkedRole ? [this.serviceLinkedRole] : undefined,
    });
    const roleCreators = this.serviceLinkedRole
      ? [this.serviceLinkedRole]
      : [...this.reportPlans.resources, ...this.frameworks.frameworks];
    if (!this.serviceLinkedRole) this.reportsBucket.policyDependsOn(...roleCreators);
    if (this.key) this.key.policy.dependsOn = roleCreators.map((d) => `${d.terraformResourceType}.${d.friendlyUniqueId}`);
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
