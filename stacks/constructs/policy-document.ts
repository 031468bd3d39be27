/**
 * IAM / resource policy documents as plain JSON strings. Every policy in this project goes through here so
 * that the synthesized Terraform carries readable `policy` strings (the post-synth Rego checks parse them)
 * rather than `aws_iam_policy_document` data sources.
 */

/** Condition operator → condition key → value(s), as in IAM JSON. */
export type PolicyConditions = Record<string, Record<string, string | string[]>>;

/** One IAM or resource policy statement, in the JSON shape AWS reads. */
export interface PolicyStatement {
  /** Statement id; also makes test failures point at the statement. */
  readonly Sid: string;
  /** Allow or Deny. */
  readonly Effect: "Allow" | "Deny";
  /** `"*"`, or `{ AWS | Service: ... }`. Omitted in identity policies. */
  readonly Principal?: "*" | { readonly AWS?: string | string[]; readonly Service?: string | string[] };
  /** Actions, e.g. `s3:PutObject` (never `*`: the post-synth policies refuse it). */
  readonly Action: string | string[];
  /** Omitted only in trust policies. */
  readonly Resource?: string | string[];
  /** Conditions, by operator then key. */
  readonly Condition?: PolicyConditions;
}

/** Serialises statements into a policy document (cdktf tokens inside strings survive `JSON.stringify`). */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** The TLS-only statement every bucket carries: deny any request made without HTTPS. */
export function denyInsecureTransportStatement(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}
