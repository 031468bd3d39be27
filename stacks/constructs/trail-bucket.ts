import { Construct } from "constructs";
import { s3BucketArn } from "../aws-partition";
import { trailLogReaderStatements } from "../trail-grants";
import type { PolicyStatement } from "./policy-document";
import { SecureBucket } from "./secure-bucket";

/** Properties of TrailBucket. */
export interface TrailBucketProps {
  /** Account of the buckets (Control Tower: the log-archive account). */
  readonly accountId: string;
  /** AWS partition of the buckets' Region. */
  readonly partition: string;
  /** Bucket receiving the trail's log files. */
  readonly bucketName: string;
  /** Separate bucket receiving the trail bucket's server access logs (CIS / Security Hub CloudTrail.7). */
  readonly accessLogBucketName: string;
  /** ARN of the one trail allowed to write (`aws:SourceArn`). */
  readonly trailArn: string;
  /** Account of the trail: its files land under `AWSLogs/<trail account>/`. */
  readonly trailAccountId: string;
  /** Organization id, for an organization trail's `AWSLogs/<org id>/` prefix; null for an account trail. */
  readonly organizationId: string | null;
  /** Accounts whose principals may read the log files (the analytics account's Athena queries). */
  readonly readerAccountIds: readonly string[];
  /**
   * Roles of those accounts that may read (any path); none (the default): any principal there, but only through
   * Athena (`aws:CalledVia`). Either way no principal of a reader account reads by its account's grant alone.
   */
  readonly readerRoleArns?: readonly string[];
  /** Days log files (and access logs) are kept. */
  readonly retentionDays: number;
}

/**
 * The trail's bucket, in its own account: a SecureBucket whose single policy admits exactly one trail (by
 * `aws:SourceArn`) under its account's and its organization's `AWSLogs/` prefixes, and lets the named roles of
 * the reader accounts (or their Athena queries) read the logs; its server access logs go to a separate log-target
 * bucket.
 */
export class TrailBucket extends Construct {
  /** The bucket the trail writes to. */
  readonly bucket: SecureBucket;
  /** The trail bucket's server-access-log bucket. */
  readonly accessLogBucket: SecureBucket;

  constructor(scope: Construct, id: string, props: TrailBucketProps) {
    super(scope, id);
    this.accessLogBucket = new SecureBucket(this, "access-log-bucket", {
      bucketName: props.accessLogBucketName,
      partition: props.partition,
      lifecycle: { expirationDays: props.retentionDays },
      logTarget: { sourceBucketNames: [props.bucketName], sourceAccountId: props.accountId },
    });
    const bucketArn = s3BucketArn(props.partition, props.bucketName);
    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: props.bucketName,
      partition: props.partition,
      lifecycle: { expirationDays: props.retentionDays },
      accessLogging: { targetBucketName: props.accessLogBucketName, targetDependsOn: [this.accessLogBucket.policy] },
      policyStatements: [
        ...cloudTrailBucketStatements(bucketArn, props),
        ...trailLogReaderStatements(
          props.partition,
          bucketArn,
          props.readerAccountIds.filter((a) => a !== props.accountId),
          "",
          props.readerRoleArns ?? [],
        ),
      ],
    });
  }
}

/**
 * CloudTrail's documented bucket grant, limited to this trail by `aws:SourceArn`: object paths under the trail
 * account's and (organization trail) the organization's `AWSLogs/` prefix. Exported for tests.
 */
export function cloudTrailBucketStatements(
  bucketArn: string,
  props: Pick<TrailBucketProps, "trailArn" | "trailAccountId" | "organizationId">,
): PolicyStatement[] {
  const prefixes = [`${bucketArn}/AWSLogs/${props.trailAccountId}/*`];
  if (props.organizationId) prefixes.push(`${bucketArn}/AWSLogs/${props.organizationId}/*`);
  return [
    {
      Sid: "AWSCloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: { StringEquals: { "aws:SourceArn": props.trailArn } },
    },
    {
      Sid: "AWSCloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: prefixes,
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": props.trailArn } },
    },
  ];
}
