import type { Construct } from "constructs";
import type { NormalizedAuditTrail, NormalizedLandingZone } from "../config/types";
import { AccountStack } from "./account-stack";
import { BackupTrail } from "./constructs/backup-trail";
import type { CustomerManagedKey } from "./constructs/kms-key";
import { trailKeyStatements } from "./key-policies";

/** The audit trail settings of a landing zone that creates a trail. */
export type AuditTrailConfig = NormalizedAuditTrail & { bucketName: string };

/**
 * Audit-trail stack (trail account, home Region; Control Tower: the management account): the CloudTrail trail
 * recording AWS Backup's service events, writing into the trail bucket that the trail-bucket stack owns (in the
 * log-archive account), and its KMS key when keys are created (in the trail's account: CloudTrail encrypts).
 */
export class AuditTrailStack extends AccountStack {
  /** The trail with its bucket and access-log bucket. */
  /** The CloudTrail trail. */
  readonly trail: BackupTrail;
  /** The trail key, when the landing zone creates keys and names none. */
  readonly key?: CustomerManagedKey;

  constructor(scope: Construct, lz: NormalizedLandingZone, trail: AuditTrailConfig) {
    super(scope, { landingZone: lz, kind: "audit-trail", accountId: trail.accountId, region: trail.region });
    const key = this.keyFor("trail-key", trail.kmsKeyArn, {
      alias: `${lz.name}-backup-trail`,
      description: `CloudTrail log files of ${trail.name} (backup-audit-insights)`,
      statements: trailKeyStatements(lz),
    });
    this.key = key.key;
    this.trail = new BackupTrail(this, "backup-trail", {
      trailName: trail.name,
      bucketName: trail.bucketName,
      organizationTrail: trail.organizationTrail,
      kmsKeyArn: key.arn,
      dependsOn: this.key ? [this.key.policy] : undefined,
    });
  }
}
