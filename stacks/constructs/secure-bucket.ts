import { Construct } from "constructs";
import type { ITerraformDependable, TerraformResource } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { s3BucketArn } from "../aws-partition";
import { denyInsecureTransportStatement, policyDocument, type PolicyStatement } from "./policy-document";

/**
 * Object ownership. `BucketOwnerEnforced` (ACLs disabled) is the default everywhere: S3 still accepts PUTs
 * that carry the `bucket-owner-full-control` canned ACL (AWS Backup reports and CloudTrail send it), and
 * server access logging works with a bucket-policy grant to `logging.s3.amazonaws.com` (no log-delivery ACL).
 * `BucketOwnerPreferred` exists only for writers that need other ACLs.
 */
export type ObjectOwnership = "BucketOwnerEnforced" | "BucketOwnerPreferred";

/** Lifecycle expiry of a SecureBucket's objects. */
export interface SecureBucketLifecycle {
  /** Days after which current objects expire. */
  readonly expirationDays: number;
  /** Days after which noncurrent versions expire. Default: 30. */
  readonly noncurrentVersionDays?: number;
  /** Days after which incomplete multipart uploads are aborted. Default: 7. */
  readonly abortIncompleteMultipartUploadDays?: number;
}

/** Server access logging of this bucket into another bucket. */
export interface SecureBucketAccessLogging {
  /** Name of the log bucket; must differ from this bucket (a bucket logging into itself loops forever). */
  readonly targetBucketName: string;
  /** Key prefix of this bucket's logs in the target. Default: `<bucket name>/`. */
  readonly targetPrefix?: string;
  /** The log bucket's construct when it is in the same stack, so that it exists before logging is enabled. */
  readonly targetDependsOn?: ITerraformDependable[];
}

/** Makes the bucket a server-access-log target: no logging of its own, SSE-S3, a grant to the logging service. */
export interface SecureBucketLogTarget {
  /** Names of the buckets whose access logs land here (become `aws:SourceArn` conditions). */
  readonly sourceBucketNames: readonly string[];
  /** Account of those buckets (`aws:SourceAccount`). */
  readonly sourceAccountId: string;
}

/** Properties of SecureBucket; everything not set gets the secure default. */
export interface SecureBucketProps {
  /** The bucket's name (global across AWS). */
  readonly bucketName: string;
  /** ARN partition (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** Current-version expiration and cleanup. */
  readonly lifecycle: SecureBucketLifecycle;
  /**
   * KMS key for SSE-KMS. Default (null/absent): SSE-S3 (AES256). Log targets must stay on SSE-S3: S3 server
   * access logging cannot write to SSE-KMS buckets.
   */
  readonly kmsKeyArn?: string | null;
  /** Default: `BucketOwnerEnforced`. */
  readonly objectOwnership?: ObjectOwnership;
  /** Versioning. Default: true. */
  readonly versioning?: boolean;
  /** Where this bucket's access logs go. Required unless `logTarget` is set. */
  readonly accessLogging?: SecureBucketAccessLogging;
  /** Set for log buckets; excludes `accessLogging`. */
  readonly logTarget?: SecureBucketLogTarget;
  /** Send all S3 events to EventBridge (one notification resource per bucket). Default: false. */
  readonly eventBridge?: boolean;
  /**
   * Statements merged with the TLS-only deny into the bucket's single policy (a bucket has exactly one
   * policy; two `aws_s3_bucket_policy` resources would overwrite each other).
   */
  readonly policyStatements?: readonly PolicyStatement[];
}

/**
 * An S3 bucket with the project's baseline: encryption, versioning, all four public-access blocks, object
 * ownership, lifecycle, TLS-only policy and server access logging to a different bucket (or, for log buckets,
 * the logging-service grant). Every sub-resource refers to the bucket by its literal name so that the
 * synthesized JSON can be checked without resolving references; `dependsOn` keeps the creation order.
 */
export class SecureBucket extends Construct {
  /** The bucket. */
  readonly bucket: S3Bucket;
  /** Its name. */
  readonly bucketName: string;
  /** Its ARN. */
  readonly bucketArn: string;
  /** The bucket policy (TLS only, plus the given statements). */
  readonly policy: S3BucketPolicy;
  /** The public access block (all four settings on). */
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  /** Server access logging, when `accessLogging` is set. */
  readonly logging?: S3BucketLoggingA;
  /** The EventBridge notification switch, when `eventBridge` is true. */
  readonly notification?: S3BucketNotification;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    validate(props);
    const name = props.bucketName;
    const arn = s3BucketArn(props.partition, name);
    this.bucketName = name;
    this.bucketArn = arn;

    this.bucket = new S3Bucket(this, "bucket", { bucket: name, forceDestroy: false });
    const after = [this.bucket];

    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: name,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      dependsOn: after,
    });

    new S3BucketOwnershipControls(this, "ownership", {
      bucket: name,
      rule: { objectOwnership: props.objectOwnership ?? "BucketOwnerEnforced" },
      dependsOn: after,
    });

    const kmsKeyArn = props.logTarget ? null : (props.kmsKeyArn ?? null);
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: name,
      rule: [
        kmsKeyArn
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn },
              // S3 Bucket Keys cut KMS request costs for many small report files.
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
      dependsOn: after,
    });

    const versioning = props.versioning ?? true;
    const versioningConfig = new S3BucketVersioningA(this, "versioning", {
      bucket: name,
      versioningConfiguration: { status: versioning ? "Enabled" : "Suspended" },
      dependsOn: after,
    });

    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: name,
      rule: [
        {
          id: "retention",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: props.lifecycle.expirationDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.lifecycle.noncurrentVersionDays ?? 30 }],
          abortIncompleteMultipartUpload: [
            { daysAfterInitiation: props.lifecycle.abortIncompleteMultipartUploadDays ?? 7 },
          ],
        },
      ],
      // Noncurrent-version rules need the versioning state in place first (provider documentation).
      dependsOn: [...after, versioningConfig],
    });

    if (props.accessLogging) {
      this.logging = new S3BucketLoggingA(this, "logging", {
        bucket: name,
        targetBucket: props.accessLogging.targetBucketName,
        targetPrefix: props.accessLogging.targetPrefix ?? `${name}/`,
        // Date-partitioned keys keep the log bucket listable and let Athena partition access logs by day.
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
        dependsOn: [...after, ...(props.accessLogging.targetDependsOn ?? [])],
      });
    }

    if (props.eventBridge) {
      this.notification = new S3BucketNotification(this, "notification", {
        bucket: name,
        eventbridge: true,
        dependsOn: after,
      });
    }

    const statements: PolicyStatement[] = [denyInsecureTransportStatement(arn)];
    if (props.logTarget) {
      statements.push(logDeliveryStatement(props.partition, arn, props.logTarget));
    }
    statements.push(...(props.policyStatements ?? []));
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket: name,
      policy: policyDocument(statements),
      // The public-access block must exist first, or S3 may evaluate the policy against the account default.
      dependsOn: [...after, this.publicAccessBlock],
    });
  }

  /** Delays the bucket policy until `deps` exist (e.g. the report plans that create a principal it names). */
  policyDependsOn(...deps: TerraformResource[]): void {
    const current = this.policy.dependsOn ?? [];
    // The plain `<type>.<name>` form cdktf itself writes for constructor `dependsOn` (fqn would add `${}`).
    this.policy.dependsOn = [...current, ...deps.map((d) => `${d.terraformResourceType}.${d.friendlyUniqueId}`)];
  }
}

function validate(props: SecureBucketProps): void {
  if (props.logTarget && props.accessLogging) {
    throw new Error(
      `SecureBucket ${props.bucketName}: a log-target bucket must not log itself (set either logTarget or accessLogging)`,
    );
  }
  if (!props.logTarget && !props.accessLogging) {
    throw new Error(`SecureBucket ${props.bucketName}: accessLogging is required for a bucket that is not a log target`);
  }
  if (props.accessLogging && props.accessLogging.targetBucketName === props.bucketName) {
    throw new Error(
      `SecureBucket ${props.bucketName}: server access logs must go to a different bucket (logging into the same bucket loops forever)`,
    );
  }
  if (props.logTarget && props.kmsKeyArn) {
    throw new Error(`SecureBucket ${props.bucketName}: a log-target bucket must use SSE-S3, not SSE-KMS`);
  }
  if (props.logTarget && props.logTarget.sourceBucketNames.length === 0) {
    throw new Error(`SecureBucket ${props.bucketName}: a log-target bucket needs at least one source bucket`);
  }
  if (props.logTarget && props.logTarget.sourceBucketNames.includes(props.bucketName)) {
    throw new Error(`SecureBucket ${props.bucketName}: a log-target bucket cannot be its own log source`);
  }
}

/** The grant S3 documents for server access logging with bucket-owner-enforced ownership. */
function logDeliveryStatement(partition: string, bucketArn: string, target: SecureBucketLogTarget): PolicyStatement {
  const sources = [...target.sourceBucketNames].map((n) => s3BucketArn(partition, n));
  return {
    Sid: "AllowS3ServerAccessLogDelivery",
    Effect: "Allow",
    Principal: { Service: "logging.s3.amazonaws.com" },
    Action: "s3:PutObject",
    Resource: `${bucketArn}/*`,
    Condition: {
      StringEquals: { "aws:SourceAccount": target.sourceAccountId },
      ArnLike: { "aws:SourceArn": sources },
    },
  };
}
