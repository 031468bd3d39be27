import type { Construct } from "constructs";
import type { NormalizedLandingZone } from "../config/types";
import { AccountStack } from "./account-stack";
import { BackupTrail } from "./constructs/backup-trail";

/** The audit trail settings of a landing zone that has one. */
export type AuditTrailConfig = NonNullable<NormalizedLandingZone["auditTrail"]>;

/** Audit-trail stack (trail account, home Region): a CloudTrail trail recording AWS Backup's service events. */
export class AuditTrailStack extends AccountStack {
  /** The trail with its bucket and access-log bucket. */
  readonly trail: BackupTrail;

  constructor(scope: Construct, lz: NormalizedLandingZone, trail: AuditTrailConfig) {
    super(scope, { landingZone: lz, kind: "audit-trail", accountId: trail.accountId, region: trail.region });
    this.trail = new BackupTrail(this, "backup-trail", {
      trailName: trail.name,
      accountId: trail.accountId,
      region: trail.region,
      partition: this.partition,
      bucketName: trail.bucketName,
      accessLogBucketName: trail.accessLogBucketName,
      organizationTrail: trail.organizationTrail,
      organizationId: lz.organizationId,
      retentionDays: trail.logRetentionDays,
    });
  }
}
