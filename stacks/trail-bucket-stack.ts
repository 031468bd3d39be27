import type { Construct } from "constructs";
import type { NormalizedLandingZone } from "../config/types";
import { AccountStack } from "./account-stack";
import type { AuditTrailConfig } from "./audit-trail-stack";
import { TrailBucket } from "./constructs/trail-bucket";
import { trailArnOf } from "./key-policies";

/**
 * Trail-bucket stack (bucket account, home Region; Control Tower: the log-archive account): the bucket the
 * trail writes to and its access-log bucket. Deployed before the audit-trail stack: CloudTrail checks the
 * bucket policy when the trail is created.
 */
export class TrailBucketStack extends AccountStack {
  /** The trail bucket and its access-log bucket. */
  readonly buckets: TrailBucket;

  constructor(scope: Construct, lz: NormalizedLandingZone, trail: AuditTrailConfig & { accessLogBucketName: string }) {
    super(scope, { landingZone: lz, kind: "trail-bucket", accountId: trail.bucketAccountId, region: trail.bucketRegion });
    this.buckets = new TrailBucket(this, "trail-bucket", {
      accountId: trail.bucketAccountId,
      partition: this.partition,
      bucketName: trail.bucketName,
      accessLogBucketName: trail.accessLogBucketName,
      trailArn: trailArnOf(trail),
      trailAccountId: trail.accountId,
      organizationId: trail.organizationTrail ? lz.organizationId : null,
      readerAccountIds: lz.analytics.enabled ? [lz.reports.accountId] : [],
      readerRoleArns: trail.readerRoleArns,
      retentionDays: trail.logRetentionDays,
    });
  }
}
