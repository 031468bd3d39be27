import type { TerraformJson } from "./stack-workspace";

const ROLE_ACCOUNT = /^arn:aws[a-z-]*:iam::(\d{12}):role\//;

/**
 * The account a resource of a synthesized stack is created in: the account of the role its provider (the default
 * one, or `provider: "aws.<alias>"`) assumes, else the caller's own account (the pipeline's credentials).
 */
export function resourceAccount(config: TerraformJson, resource: Record<string, unknown>, callerAccount: string): string {
  const ref = typeof resource.provider === "string" ? resource.provider : "aws";
  const alias = ref.startsWith("aws.") ? ref.slice(4) : undefined;
  const provider = (config.provider?.aws ?? []).find((p) => p.alias === alias);
  const roleArn = provider?.assume_role?.[0]?.role_arn;
  return (typeof roleArn === "string" && ROLE_ACCOUNT.exec(roleArn)?.[1]) || callerAccount;
}

/** Bucket name → the account that creates it, over the stacks of one landing zone (literal names only). */
export function bucketAccounts(configs: readonly TerraformJson[], callerAccount: string): Map<string, string> {
  const accounts = new Map<string, string>();
  for (const config of configs) {
    for (const body of Object.values(config.resource?.aws_s3_bucket ?? {})) {
      if (typeof body.bucket === "string") accounts.set(body.bucket, resourceAccount(config, body, callerAccount));
    }
  }
  return accounts;
}
