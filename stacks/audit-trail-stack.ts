import type { Construct } from "constructs";
import type { NormalizedAuditTrail, NormalizedLandingZone } from "../config/types";
import { AccountStack } from "./account-stack";
import { BackupTrail } from "./constructs/backup-trail";
import { CustomerManagedKey } from "./constructs/kms-key";
import { trailKeyStatements } from "./key-policies";

/** The audit trail settings of a landing zone that creates a trail. */
export type AuditTrailConfig = NormalizedAuditTrail & { bucketName: string };

/**
 * Audit-trail stack (trail account, home Region; Control Tower: the management account): the CloudTrail trail
 * recording AWS Backup's service events, writing into the trail bucket that the trail-bucket stack owns (in the
 * log-archive account), and its KMS key when keys are created (in the trail's account: CloudTrail encrypts).
 */
export class AuditTrailStack extends AccountStack {
  readonly trail: BackupTrail;
  readonly key?: CustomerManagedKey;

  constructor(scope: Construct, lz: NormalizedLandingZone, trail: AuditTrailConfig) {
    super(scope, { landingZone: lz, kind: "audit-trail", accountId: trail.accountId, region: trail.region });
    let kmsKeyArn = trail.kmsKeyArn;
    if (!kmsKeyArn && lz.encryption.createKeys) {
      this.key = new CustomerManagedKey(this, "trail-key", {
        alias: `${lz.name}-backup-trail`,
        description: `CloudTrail log files of ${trail.name} (backup-audit-insights)`,
        partition: this.partition,
        accountId: this.accountId,
        statements: trailKeyStatements(lz),
      });
      kmsKeyArn = this.key.arn;
    }
    this.trail = new BackupTrail(this, "backup-trail", {
      trailName: trail.name,
      bucketName: trail.bucketName,
      organizationTrail: trail.organizationTrail,
      kmsKeyArn,
      dependsOn: this.key ? [this.key.policy] : undefined,
    });
  }
}
