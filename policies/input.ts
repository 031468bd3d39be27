import type { NormalizedLandingZone, PolicyInput } from "../config/types";

/**
 * Builds the documents the policies evaluate. Only data shaping happens here; every rule lives in Rego.
 */

/** Config policies: every landing zone of the run in one document (some rules count across landing zones). */
export function buildConfigInput(lzs: readonly NormalizedLandingZone[]): PolicyInput {
  return { landingZones: [...lzs] };
}

/** Attributes whose string value is an IAM/resource policy document (the stacks emit JSON strings). */
const POLICY_ATTRIBUTES = new Set(["policy", "assume_role_policy"]);

function parsePolicyDocument(text: string): unknown {
  // cdktf tokens such as "${aws_s3_bucket.x.arn}" sit inside JSON strings, so the text still parses.
  if (!text.trimStart().startsWith("{")) return text;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : text;
  } catch {
    return text;
  }
}

/** Copies a value, replacing policy-document strings by the parsed document at any depth. */
function withParsedPolicies(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withParsedPolicies);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = POLICY_ATTRIBUTES.has(key) && typeof v === "string" ? parsePolicyDocument(v) : withParsedPolicies(v);
  }
  return out;
}

/**
 * Terraform policies: `{stacks: {<stack name>: <cdk.tf.json>}}`, with policy JSON strings parsed into objects
 * (so that rules read them as objects, without json.unmarshal on every access).
 */
export function buildTerraformInput(stacks: Record<string, unknown>): { stacks: Record<string, unknown> } {
  const out: Record<string, unknown> = {};
  for (const [name, doc] of Object.entries(stacks)) out[name] = withParsedPolicies(doc);
  return { stacks: out };
}
