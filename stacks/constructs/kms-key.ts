import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import { keyAdministrationStatement } from "../key-policies";
import { policyDocument, type PolicyStatement } from "./policy-document";

/** Properties of CustomerManagedKey. */
export interface CustomerManagedKeyProps {
  /** Alias name without `alias/`. */
  readonly alias: string;
  /** Key description. */
  readonly description: string;
  /** AWS partition of the key's Region. */
  readonly partition: string;
  /** The key's account: its root administers the key (no data use). */
  readonly accountId: string;
  /** Who may use the key for data, and how (stacks/key-policies.ts). */
  readonly statements: readonly PolicyStatement[];
  /**
   * Resources that create a principal the policy names (e.g. the report plans, which create the reports
   * service-linked role): KMS refuses a policy naming a principal that does not exist.
   */
  readonly policyDependsOn?: ITerraformDependable[];
  /** Days of the deletion waiting period. Default: 30 (the maximum: a deleted key makes its data unreadable). */
  readonly deletionWindowInDays?: number;
}

/**
 * A symmetric customer-managed KMS key with yearly rotation, an alias, and a key policy of exactly the given
 * grants plus administration by the account. The policy is a separate `aws_kms_key_policy` so that it can wait
 * for the principals it names while the key itself is created first (buckets need it for their encryption).
 */
export class CustomerManagedKey extends Construct {
  /** The key (rotation on). */
  readonly key: KmsKey;
  /** `alias/<alias>`. */
  readonly alias: KmsAlias;
  /** The key policy (separate, so that it can wait for the principals it names). */
  readonly policy: KmsKeyPolicy;

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
    });
    this.alias = new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.policy = new KmsKeyPolicy(this, "policy", {
      keyId: this.key.keyId,
      policy: policyDocument([keyAdministrationStatement(props.partition, props.accountId), ...props.statements]),
      dependsOn: props.policyDependsOn,
    });
  }

  /** The key's ARN (known after apply). */
  get arn(): string {
    return this.key.arn;
  }
}
