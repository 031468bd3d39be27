import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";

/** Properties of BackupTrail. */
export interface BackupTrailProps {
  /** Name of the CloudTrail trail. */
  readonly trailName: string;
  /** Bucket receiving the trail's log files (possibly in another account: see TrailBucket). */
  readonly bucketName: string;
  /** Organization trail: records every member account (created by the management account only). */
  readonly organizationTrail: boolean;
  /** KMS key (ARN or reference) encrypting the log files (Security Hub CloudTrail.2); none: SSE-S3 of the bucket. */
  readonly kmsKeyArn?: string | null;
  /** Created first, e.g. the key's policy (CloudTrail checks that it may use the key). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A CloudTrail trail for AWS Backup's service events (BackupJobCompleted, ReportJobCompleted, ... arrive as
 * `AwsServiceEvent` management events, fact sheet §6): multi-Region, global service events, log-file
 * validation, management events read and write. The bucket policy must admit the trail before it is created.
 */
export class BackupTrail extends Construct {
  /** The trail (multi-Region, global events, log-file validation). */
  readonly trail: Cloudtrail;

  constructor(scope: Construct, id: string, props: BackupTrailProps) {
    super(scope, id);
    this.trail = new Cloudtrail(this, "trail", {
      name: props.trailName,
      s3BucketName: props.bucketName,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      isOrganizationTrail: props.organizationTrail,
      kmsKeyId: props.kmsKeyArn ?? undefined,
      eventSelector: [{ readWriteType: "All", includeManagementEvents: true }],
      dependsOn: props.dependsOn,
    });
  }
}
