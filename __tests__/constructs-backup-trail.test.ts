import { BackupTrail, type BackupTrailProps } from "../stacks/constructs/backup-trail";
import { TrailBucket, type TrailBucketProps } from "../stacks/constructs/trail-bucket";
import {
  cleanup,
  onlyResource,
  resourceList,
  resourceWhere,
  statementBySid,
  statementsOf,
  synthConstruct,
  type TerraformJson,
} from "./helpers/landing-zone";

afterAll(cleanup);

const TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/acme-backup-events";
const LOG_ARCHIVE = "333344445555";
const AUDIT = "222233334444";

const trailProps: BackupTrailProps = { trailName: "acme-backup-events", bucketName: "trail-bkt", organizationTrail: true };
const bucketProps: TrailBucketProps = {
  accountId: LOG_ARCHIVE,
  partition: "aws",
  bucketName: "trail-bkt",
  accessLogBucketName: "trail-logs-bkt",
  trailArn: TRAIL_ARN,
  trailAccountId: "111122223333",
  organizationId: "o-abc123def4",
  readerAccountIds: [AUDIT],
  retentionDays: 365,
};

function synthBucket(p: TrailBucketProps): TerraformJson {
  return synthConstruct((s) => new TrailBucket(s, "trail-bucket", p));
}

describe("BackupTrail", () => {
  it("records management events (AWS Backup service events) in every Region with validation", () => {
    const tf = synthConstruct((s) => new BackupTrail(s, "trail", trailProps));
    const trail = onlyResource(tf, "aws_cloudtrail");
    expect(trail).toEqual({
      name: "acme-backup-events",
      s3_bucket_name: "trail-bkt",
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      is_organization_trail: true,
      event_selector: [{ read_write_type: "All", include_management_events: true }],
    });
    // The bucket lives in another stack (account): the trail creates no bucket of its own.
    expect(resourceList(tf, "aws_s3_bucket")).toEqual([]);
  });

  it("encrypts the log files with the given key", () => {
    const tf = synthConstruct((s) => new BackupTrail(s, "trail", { ...trailProps, kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/k1" }));
    expect(onlyResource(tf, "aws_cloudtrail").kms_key_id).toBe("arn:aws:kms:us-east-1:111122223333:key/k1");
  });
});

describe("TrailBucket", () => {
  const tf = synthBucket(bucketProps);

  it("logs the trail bucket into the separate log bucket, which logs nowhere", () => {
    const logging = onlyResource(tf, "aws_s3_bucket_logging");
    expect(logging).toMatchObject({ bucket: "trail-bkt", target_bucket: "trail-logs-bkt" });
    expect(resourceList(tf, "aws_s3_bucket").map((b) => b.bucket).sort()).toEqual(["trail-bkt", "trail-logs-bkt"]);
    const logPolicy = resourceWhere(tf, "aws_s3_bucket_policy", "bucket", "trail-logs-bkt").policy;
    expect(statementBySid(logPolicy, "AllowS3ServerAccessLogDelivery").Condition).toEqual({
      StringEquals: { "aws:SourceAccount": LOG_ARCHIVE },
      ArnLike: { "aws:SourceArn": ["arn:aws:s3:::trail-bkt"] },
    });
  });

  it("admits the trail of the management account by aws:SourceArn under its account's and the organization's prefixes", () => {
    const policy = resourceWhere(tf, "aws_s3_bucket_policy", "bucket", "trail-bkt").policy;
    expect(statementsOf(policy).map((s) => s.Sid)).toEqual([
      "DenyInsecureTransport",
      "AWSCloudTrailAclCheck",
      "AWSCloudTrailWrite",
      "TrailLogReadersList",
      "TrailLogReadersGet",
    ]);
    expect(statementBySid(policy, "AWSCloudTrailAclCheck")).toEqual({
      Sid: "AWSCloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: "arn:aws:s3:::trail-bkt",
      Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN } },
    });
    expect(statementBySid(policy, "AWSCloudTrailWrite")).toEqual({
      Sid: "AWSCloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: ["arn:aws:s3:::trail-bkt/AWSLogs/111122223333/*", "arn:aws:s3:::trail-bkt/AWSLogs/o-abc123def4/*"],
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": TRAIL_ARN } },
    });
  });

  it("lets the analytics account read the log files through Athena only (the trail table's cross-account grant)", () => {
    const policy = resourceWhere(tf, "aws_s3_bucket_policy", "bucket", "trail-bkt").policy;
    const athenaOnly = { "ForAnyValue:StringEquals": { "aws:CalledVia": ["athena.amazonaws.com"] } };
    expect(statementBySid(policy, "TrailLogReadersGet")).toEqual({
      Sid: "TrailLogReadersGet",
      Effect: "Allow",
      Principal: { AWS: [`arn:aws:iam::${AUDIT}:root`] },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::trail-bkt/AWSLogs/*",
      Condition: athenaOnly,
    });
    expect(statementBySid(policy, "TrailLogReadersList")).toMatchObject({ Action: ["s3:ListBucket", "s3:GetBucketLocation"], Condition: athenaOnly });
  });

  it("lets only the named roles read when readerRoleArns is given", () => {
    const role = `arn:aws:iam::${AUDIT}:role/BackupAuditReader`;
    const named = synthBucket({ ...bucketProps, readerRoleArns: [role] });
    const policy = resourceWhere(named, "aws_s3_bucket_policy", "bucket", "trail-bkt").policy;
    for (const sid of ["TrailLogReadersGet", "TrailLogReadersList"]) {
      expect(statementBySid(policy, sid).Condition).toEqual({ ArnEquals: { "aws:PrincipalArn": [role] } });
    }
  });

  it("grants only the account prefix for an account trail, and no reader grant inside the bucket's own account", () => {
    const single = synthBucket({ ...bucketProps, organizationId: null, readerAccountIds: [LOG_ARCHIVE] });
    const policy = resourceWhere(single, "aws_s3_bucket_policy", "bucket", "trail-bkt").policy;
    expect(statementBySid(policy, "AWSCloudTrailWrite").Resource).toEqual(["arn:aws:s3:::trail-bkt/AWSLogs/111122223333/*"]);
    expect(statementsOf(policy).map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "AWSCloudTrailAclCheck", "AWSCloudTrailWrite"]);
  });

  it("expires trail logs and access logs after the retention", () => {
    for (const lc of resourceList(tf, "aws_s3_bucket_lifecycle_configuration")) {
      expect((lc.rule as Array<Record<string, unknown>>)[0].expiration).toEqual([{ days: 365 }]);
    }
  });
});
