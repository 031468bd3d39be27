import type { Construct } from "constructs";
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { NormalizedLandingZone } from "../config/types";
import { partitionForRegion } from "./aws-partition";
import { CustomerManagedKey } from "./constructs/kms-key";
import type { PolicyStatement } from "./constructs/policy-document";

/** The stack kinds of one landing zone; the stack id is `<landing zone>-<kind>`. */
export type StackKind = "organization" | "member-frameworks" | "job-alert-members" | "reporting" | "analytics" | "trail-bucket" | "audit-trail";

/** Where an AccountStack deploys. */
export interface AccountStackProps {
  /** The landing zone the stack belongs to (names, tags, deployment role, backend). */
  readonly landingZone: NormalizedLandingZone;
  /** Which of the landing zone's stacks this is; with the landing-zone name it makes the stack id. */
  readonly kind: StackKind;
  /** Account the stack's resources live in. */
  readonly accountId: string;
  /** Region the stack's provider deploys to. */
  readonly region: string;
}

/** Stack id of a landing zone's stack: unique per landing zone, so several landing zones share one app. */
export function stackId(landingZoneName: string, kind: StackKind): string {
  return `${landingZoneName}-${kind}`;
}

/** Role ARN the provider assumes in `accountId`; null in the management account (the credentials' own). */
export function deploymentRoleArn(lz: NormalizedLandingZone, accountId: string, region: string): string | null {
  if (accountId === lz.managementAccountId) return null;
  return `arn:${partitionForRegion(region)}:iam::${accountId}:role/${lz.deployment.roleName}`;
}

/**
 * A stack pinned to one account and Region: its own AWS provider (assuming the deployment role when the
 * account is not the management account, refusing any other account via `allowed_account_ids`, tagging
 * everything with the landing zone's tags) and its own state (S3 backend in the management account, or local).
 */
export class AccountStack extends TerraformStack {
  /** The landing zone the stack belongs to. */
  readonly landingZone: NormalizedLandingZone;
  /** Account the stack's resources live in (the provider's `allowed_account_ids`). */
  readonly accountId: string;
  /** Region of the stack's provider. */
  readonly region: string;
  /** AWS partition of that Region (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** The stack's AWS provider (assumes the deployment role outside the management account). */
  readonly provider: AwsProvider;

  constructor(scope: Construct, props: AccountStackProps) {
    const id = stackId(props.landingZone.name, props.kind);
    super(scope, id);
    const lz = props.landingZone;
    this.landingZone = lz;
    this.accountId = props.accountId;
    this.region = props.region;
    this.partition = partitionForRegion(props.region);

    const roleArn = deploymentRoleArn(lz, props.accountId, props.region);
    this.provider = new AwsProvider(this, "aws", {
      region: props.region,
      allowedAccountIds: [props.accountId],
      defaultTags: [{ tags: { ...lz.tags } }],
      assumeRole: roleArn ? [{ roleArn, sessionName: `backup-audit-${lz.name}` }] : undefined,
    });

    const backend = lz.deployment.backend?.s3;
    if (backend) {
      // State stays in the management account (the credentials' account): the backend never assumes a role.
      const s3 = new S3Backend(this, {
        bucket: backend.bucket,
        key: `${backend.keyPrefix}/${lz.name}/${props.kind}.tfstate`,
        region: backend.region,
        encrypt: true,
        dynamodbTable: backend.dynamodbTable ?? undefined,
      });
      // S3-native locking (Terraform >= 1.10); cdktf 0.21's S3BackendConfig has no field for it yet.
      if (!backend.dynamodbTable) s3.addOverride("use_lockfile", true);
    } else {
      // cdktf's default: terraform.<stack>.tfstate in the folder synth runs from, never inside cdktf.out
      // (a state file in the synth output would be one `rm -rf cdktf.out` away from lost).
      new LocalBackend(this, {});
    }
  }

  /**
   * The KMS key of one store: the key the config names (`existingArn`), else a key of this stack's account when
   * the landing zone creates keys (`encryption.createKeys`), else none (`arn` null: SSE-S3 / no key).
   */
  keyFor(
    id: string,
    existingArn: string | null,
    key: { alias: string; description: string; statements: readonly PolicyStatement[] },
  ): { arn: string | null; key?: CustomerManagedKey } {
    if (existingArn || !this.landingZone.encryption.createKeys) return { arn: existingArn };
    const created = new CustomerManagedKey(this, id, { ...key, partition: this.partition, accountId: this.accountId });
    return { arn: created.arn, key: created };
  }
}
