import type { Credentials } from "./organization-seed";

/**
 * The override file the rehearsal writes beside each stack's copy (Terraform merges `*_override.tf.json` into the
 * configuration: https://developer.hashicorp.com/terraform/language/files/override). It changes only where the
 * stack runs, never what it creates: the provider's endpoints point at the emulator, its credentials are the
 * pipeline user's, it trusts the emulator's CA, and the state is local. `assume_role`, `allowed_account_ids`,
 * the Region and the default tags stay as synthesized, so every stack lands in its own account as in AWS.
 */

/** Every AWS API the stacks call, by the provider's `endpoints` argument names. */
export const EMULATED_SERVICES = [
  "athena",
  "backup",
  "cloudformation",
  "cloudtrail",
  "cloudwatch",
  "events",
  "glue",
  "iam",
  "kms",
  "lambda",
  "logs",
  "organizations",
  "s3",
  "s3control",
  "sns",
  "sqs",
  "sts",
] as const;

export interface OverrideOptions {
  readonly endpoint: string;
  readonly caFile: string;
  readonly credentials: Credentials;
  /** Absolute path of the stack's local state file. */
  readonly statePath: string;
  /** Names of the stack's aws provider blocks' aliases (undefined: the default provider). */
  readonly providerAliases: readonly (string | undefined)[];
  /** Resource overrides for the emulator's listed gaps (rehearsal/emulator-gaps.yaml). */
  readonly resources?: Record<string, Record<string, Record<string, unknown>>>;
}

export function rehearsalOverride(o: OverrideOptions): Record<string, unknown> {
  const endpoints = Object.fromEntries(EMULATED_SERVICES.map((s) => [s, o.endpoint]));
  const provider = o.providerAliases.map((alias) => ({
    ...(alias ? { alias } : {}),
    access_key: o.credentials.accessKeyId,
    secret_key: o.credentials.secretAccessKey,
    ...(o.credentials.sessionToken ? { token: o.credentials.sessionToken } : {}),
    custom_ca_bundle: o.caFile,
    endpoints: [endpoints],
    s3_use_path_style: true,
    skip_metadata_api_check: "true",
    // An emulator error is final: retrying an internal error 25 times with backoff only hides it for minutes.
    max_retries: 2,
  }));
  return {
    terraform: { backend: { local: { path: o.statePath } } },
    provider: { aws: provider },
    ...(o.resources && Object.keys(o.resources).length > 0 ? { resource: o.resources } : {}),
  };
}
