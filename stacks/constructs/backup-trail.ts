import { Construct } from "constructs";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import type { PolicyStatement } from "./policy-document";
import { SecureBucket } from "./secure-bucket";

/** Properties of BackupTrail. */
export interface BackupTrailProps {
  /** Name of the CloudTrail trail. */
  readonly trailName: string;
  /** Account of the trail and its buckets (the management account for an organization trail). */
  readonly accountId: string;
  /** Region of the trail (its home Region). */
  readonly region: string;
  /** AWS partition of that Region. */
  readonly partition: string;
  /** Bucket receiving the trail's log files. */
  readonly bucketName: string;
  /** Separate bucket receiving the trail bucket's server access logs (CIS / Security Hub CloudTrail.7). */
  readonly accessLogBucketName: string;
  /** Organization trail: records every member account (must be created in the management account). */
  readonly organizationTrail: boolean;
  /** Organization id, for the `AWSLogs/<org id>/` prefix of organization trails. */
  readonly organizationId: string;
  /** Days log files (and access logs) are kept. */
  readonly retentionDays: number;
}

/**
 * A CloudTrail trail for AWS Backup's service events (BackupJobCompleted, ReportJobCompleted, ... arrive as
 * `AwsServiceEvent` management events, fact sheet §6): multi-Region, global service events, log-file
 * validation, management events read and write. Its bucket is a SecureBucket with the CloudTrail grant merged
 * into the single bucket policy; its access logs go to a separate log-target bucket.
 */
export class BackupTrail extends Construct {
  /** The trail (multi-Region, global events, log-file validation). */
  readonly trail: Cloudtrail;
  /** The bucket the trail writes to. */
  readonly bucket: SecureBucket;
  /** The trail bucket's server-access-log bucket. */
  readonly accessLogBucket: SecureBucket;
  /** Known before creation (`arn:<p>:cloudtrail:<region>:<account>:trail/<name>`), so the policy can name it. */
  readonly trailArn: string;

  constructor(scope: Construct, id: string, props: BackupTrailProps) {
    super(scope, id);
    this.trailArn = `arn:${props.partition}:cloudtrail:${props.region}:${props.accountId}:trail/${props.trailName}`;

    this.accessLogBucket = new SecureBucket(this, "access-log-bucket", {
      bucketName: props.accessLogBucketName,
      partition: props.partition,
      lifecycle: { expirationDays: props.retentionDays },
      logTarget: { sourceBucketNames: [props.bucketName], sourceAccountId: props.accountId },
    });

    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: props.bucketName,
      partition: props.partition,
      lifecycle: { expirationDays: props.retentionDays },
      accessLogging: { targetBucketName: props.accessLogBucketName, targetDependsOn: [this.accessLogBucket.policy] },
      policyStatements: cloudTrailBucketStatements(`arn:${props.partition}:s3:::${props.bucketName}`, this.trailArn, props),
    });

    this.trail = new Cloudtrail(this, "trail", {
      name: props.trailName,
      s3BucketName: props.bucketName,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      isOrganizationTrail: props.organizationTrail,
      eventSelector: [{ readWriteType: "All", includeManagementEvents: true }],
      // CloudTrail checks the bucket policy when the trail is created.
      dependsOn: [this.bucket.policy],
    });
  }
}

/** CloudTrail's documented bucket grant, limited to this trail by `aws:SourceArn`. Exported for tests. */
export function cloudTrailBucketStatements(
  bucketArn: string,
  trailArn: string,
  props: Pick<BackupTrailProps, "accountId" | "organizationTrail" | "organizationId">,
): PolicyStatement[] {
  const prefixes = [`${bucketArn}/AWSLogs/${props.accountId}/*`];
  if (props.organizationTrail) prefixes.push(`${bucketArn}/AWSLogs/${props.organizationId}/*`);
  return [
    {
      Sid: "AWSCloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: { StringEquals: { "aws:SourceArn": trailArn } },
    },
    {
      Sid: "AWSCloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: prefixes,
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } },
    },
  ];
}
