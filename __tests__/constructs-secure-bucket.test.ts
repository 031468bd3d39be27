import { TerraformStack } from "cdktf";
import { SecureBucket, type SecureBucketProps } from "../stacks/constructs/secure-bucket";
import {
  cleanup,
  onlyResource,
  resourceList,
  resourceWhere,
  statementBySid,
  statementsOf,
  synthConstruct,
  testApp,
  type TerraformJson,
} from "./helpers/landing-zone";

afterAll(cleanup);

const base: SecureBucketProps = {
  bucketName: "data-bucket",
  partition: "aws",
  lifecycle: { expirationDays: 90 },
  accessLogging: { targetBucketName: "log-bucket" },
};

function synthBucket(props: SecureBucketProps): TerraformJson {
  return synthConstruct((stack) => new SecureBucket(stack, "b", props));
}

describe("SecureBucket", () => {
  const tf = synthBucket(base);

  it("creates the bucket without force_destroy", () => {
    expect(onlyResource(tf, "aws_s3_bucket")).toEqual({ bucket: "data-bucket", force_destroy: false });
  });

  it("blocks all four kinds of public access", () => {
    const pab = onlyResource(tf, "aws_s3_bucket_public_access_block");
    expect(pab).toMatchObject({
      bucket: "data-bucket",
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it("encrypts with SSE-S3 (AES256) by default", () => {
    expect(onlyResource(tf, "aws_s3_bucket_server_side_encryption_configuration")).toMatchObject({
      bucket: "data-bucket",
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
  });

  it("encrypts with the given KMS key and a bucket key", () => {
    const kms = synthBucket({ ...base, kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/abc" });
    expect(onlyResource(kms, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: "aws:kms",
          kms_master_key_id: "arn:aws:kms:us-east-1:111122223333:key/abc",
        },
        bucket_key_enabled: true,
      },
    ]);
  });

  it("enables versioning and enforces bucket-owner object ownership", () => {
    expect(onlyResource(tf, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(onlyResource(tf, "aws_s3_bucket_ownership_controls").rule).toEqual({
      object_ownership: "BucketOwnerEnforced",
    });
    const preferred = synthBucket({ ...base, objectOwnership: "BucketOwnerPreferred" });
    expect(onlyResource(preferred, "aws_s3_bucket_ownership_controls").rule).toEqual({
      object_ownership: "BucketOwnerPreferred",
    });
  });

  it("expires current and noncurrent versions and aborts incomplete uploads", () => {
    const versioningId = Object.keys(tf.resource?.aws_s3_bucket_versioning ?? {})[0];
    expect(onlyResource(tf, "aws_s3_bucket_lifecycle_configuration").depends_on).toContain(
      `aws_s3_bucket_versioning.${versioningId}`,
    );
    expect(onlyResource(tf, "aws_s3_bucket_lifecycle_configuration").rule).toEqual([
      {
        id: "retention",
        status: "Enabled",
        filter: [{ prefix: "" }],
        expiration: [{ days: 90 }],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
  });

  it("logs to the other bucket with a per-bucket, date-partitioned prefix", () => {
    expect(onlyResource(tf, "aws_s3_bucket_logging")).toMatchObject({
      bucket: "data-bucket",
      target_bucket: "log-bucket",
      target_prefix: "data-bucket/",
      target_object_key_format: { partitioned_prefix: { partition_date_source: "EventTime" } },
    });
  });

  it("has one policy whose only statement denies non-TLS requests", () => {
    const policy = onlyResource(tf, "aws_s3_bucket_policy");
    expect(policy.bucket).toBe("data-bucket");
    expect(statementsOf(policy.policy)).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it("merges extra statements into the same single policy, after the TLS deny", () => {
    const extra = synthBucket({
      ...base,
      policyStatements: [{ Sid: "X", Effect: "Allow", Principal: { Service: "x.amazonaws.com" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::data-bucket/*" }],
    });
    expect(resourceList(extra, "aws_s3_bucket_policy")).toHaveLength(1);
    expect(statementsOf(onlyResource(extra, "aws_s3_bucket_policy").policy).map((s) => s.Sid)).toEqual([
      "DenyInsecureTransport",
      "X",
    ]);
  });

  it("sends events to EventBridge only when asked", () => {
    expect(resourceList(tf, "aws_s3_bucket_notification")).toHaveLength(0);
    const eb = synthBucket({ ...base, eventBridge: true });
    expect(onlyResource(eb, "aws_s3_bucket_notification")).toMatchObject({ bucket: "data-bucket", eventbridge: true });
  });

  it("throws when a bucket would log into itself", () => {
    const stack = new TerraformStack(testApp(), "self");
    expect(() => new SecureBucket(stack, "b", { ...base, accessLogging: { targetBucketName: "data-bucket" } })).toThrow(
      /different bucket/,
    );
  });

  it("throws without logging unless it is a log target, and with both", () => {
    const stack = new TerraformStack(testApp(), "invalid");
    expect(() => new SecureBucket(stack, "none", { ...base, accessLogging: undefined })).toThrow(/accessLogging is required/);
    expect(
      () =>
        new SecureBucket(stack, "both", {
          ...base,
          logTarget: { sourceBucketNames: ["a"], sourceAccountId: "111122223333" },
        }),
    ).toThrow(/must not log itself/);
  });

  describe("as a log target", () => {
    const logProps: SecureBucketProps = {
      bucketName: "log-bucket",
      partition: "aws",
      lifecycle: { expirationDays: 365 },
      logTarget: { sourceBucketNames: ["data-bucket", "other-bucket"], sourceAccountId: "111122223333" },
    };
    const logTf = synthBucket(logProps);

    it("has no logging of its own and uses SSE-S3", () => {
      expect(resourceList(logTf, "aws_s3_bucket_logging")).toHaveLength(0);
      expect(onlyResource(logTf, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
      ]);
    });

    it("grants the logging service PutObject for its source buckets and account only", () => {
      const policy = onlyResource(logTf, "aws_s3_bucket_policy").policy;
      expect(statementBySid(policy, "AllowS3ServerAccessLogDelivery")).toEqual({
        Sid: "AllowS3ServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::log-bucket/*",
        Condition: {
          StringEquals: { "aws:SourceAccount": "111122223333" },
          ArnLike: { "aws:SourceArn": ["arn:aws:s3:::data-bucket", "arn:aws:s3:::other-bucket"] },
        },
      });
      expect(statementBySid(policy, "DenyInsecureTransport").Effect).toBe("Deny");
    });

    it("refuses SSE-KMS, no sources and itself as a source", () => {
      const stack = new TerraformStack(testApp(), "log-invalid");
      expect(() => new SecureBucket(stack, "kms", { ...logProps, kmsKeyArn: "arn:aws:kms:us-east-1:1:key/x" })).toThrow(
        /SSE-S3/,
      );
      expect(
        () => new SecureBucket(stack, "empty", { ...logProps, logTarget: { sourceBucketNames: [], sourceAccountId: "1" } }),
      ).toThrow(/at least one source/);
      expect(
        () =>
          new SecureBucket(stack, "selfsrc", {
            ...logProps,
            logTarget: { sourceBucketNames: ["log-bucket"], sourceAccountId: "1" },
          }),
      ).toThrow(/own log source/);
    });
  });

  it("keeps the policy after the public access block and delays it on request", () => {
    const two = synthConstruct((stack) => {
      const b = new SecureBucket(stack, "b", base);
      const other = new SecureBucket(stack, "o", { ...base, bucketName: "other", accessLogging: { targetBucketName: "log-bucket" } });
      b.policyDependsOn(other.bucket);
    });
    const policy = resourceWhere(two, "aws_s3_bucket_policy", "bucket", "data-bucket");
    const deps = policy.depends_on as string[];
    expect(deps.some((d) => d.startsWith("aws_s3_bucket_public_access_block.b_"))).toBe(true);
    expect(deps.some((d) => /^aws_s3_bucket\.o_bucket_/.test(d))).toBe(true);
  });
});
