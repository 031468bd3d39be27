import { BackupTrail, type BackupTrailProps } from "../stacks/constructs/backup-trail";
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

const props: BackupTrailProps = {
  trailName: "acme-backup-events",
  accountId: "111122223333",
  region: "us-east-1",
  partition: "aws",
  bucketName: "trail-bkt",
  accessLogBucketName: "trail-logs-bkt",
  organizationTrail: true,
  organizationId: "o-abc123def4",
  retentionDays: 365,
};
const TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/acme-backup-events";

function synthTrail(p: BackupTrailProps): TerraformJson {
  return synthConstruct((s) => new BackupTrail(s, "trail", p));
}

describe("BackupTrail", () => {
  const tf = synthTrail(props);

  it("records management events (AWS Backup service events) in every Region with validation", () => {
    const trail = onlyResource(tf, "aws_cloudtrail");
    expect(trail).toMatchObject({
      name: "acme-backup-events",
      s3_bucket_name: "trail-bkt",
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      is_organization_trail: true,
      event_selector: [{ read_write_type: "All", include_management_events: true }],
    });
    const policyId = Object.entries(tf.resource?.aws_s3_bucket_policy ?? {}).find(([, p]) => p.bucket === "trail-bkt")![0];
    expect(trail.depends_on).toEqual([`aws_s3_bucket_policy.${policyId}`]);
  });

  it("logs the trail bucket into the separate log bucket, which logs nowhere", () => {
    const logging = onlyResource(tf, "aws_s3_bucket_logging");
    expect(logging).toMatchObject({ bucket: "trail-bkt", target_bucket: "trail-logs-bkt" });
    expect(resourceList(tf, "aws_s3_bucket").map((b) => b.bucket).sort()).toEqual(["trail-bkt", "trail-logs-bkt"]);
    const logPolicy = resourceWhere(tf, "aws_s3_bucket_policy", "bucket", "trail-logs-bkt").policy;
    expect(statementBySid(logPolicy, "AllowS3ServerAccessLogDelivery").Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "111122223333" },
      ArnLike: { "aws:SourceArn": ["arn:aws:s3:::trail-bkt"] },
    });
  });

  it("merges the CloudTrail grant (account and organization prefixes) with the TLS deny in one policy", () => {
    const policy = resourceWhere(tf, "aws_s3_bucket_policy", "bucket", "trail-bkt").policy;
    expect(statementsOf(policy).map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "AWSCloudTrailAclCheck", "AWSCloudTrailWrite"]);
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

  it("grants only the account prefix for a single-account trail", () => {
    const single = synthTrail({ ...props, organizationTrail: false });
    expect(onlyResource(single, "aws_cloudtrail").is_organization_trail).toBe(false);
    const policy = resourceWhere(single, "aws_s3_bucket_policy", "bucket", "trail-bkt").policy;
    expect(statementBySid(policy, "AWSCloudTrailWrite").Resource).toEqual(["arn:aws:s3:::trail-bkt/AWSLogs/111122223333/*"]);
  });

  it("expires trail logs and access logs after the retention", () => {
    for (const lc of resourceList(tf, "aws_s3_bucket_lifecycle_configuration")) {
      expect((lc.rule as Array<Record<string, unknown>>)[0].expiration).toEqual([{ days: 365 }]);
    }
  });
});
