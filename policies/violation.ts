/**
 * The violation record both policy sets produce (`violations contains v` in policies/config and
 * policies/terraform), checked on the way out of the Wasm module so that callers get well-formed records even
 * if a rule is written wrongly.
 */
export interface Violation {
  /** Stable rule id, e.g. BAI001 (config) or BAI101 (Terraform); documented in docs/policies.md. */
  id: string;
  /** Landing zone the violation belongs to (config policies). */
  landingZone?: string;
  /** Config file (config policies) or `stacks/<stack>/cdk.tf.json` (Terraform policies). */
  file?: string;
  /** Dotted field path in that file, e.g. `reports.formats` or `resource.aws_s3_bucket.reports`. */
  path: string;
  /** What is wrong. */
  message: string;
  /** How to fix it. */
  fix: string;
}

function isStringField(o: Record<string, unknown>, key: string, optional: boolean): boolean {
  const v = o[key];
  return (optional && v === undefined) || typeof v === "string";
}

/** Narrows one member of a policy result set; throws on anything else (that is a bug in a rule). */
export function toViolation(value: unknown): Violation {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`policy produced a violation that is not an object: ${JSON.stringify(value)}`);
  }
  const o = value as Record<string, unknown>;
  const ok =
    isStringField(o, "id", false) &&
    isStringField(o, "path", false) &&
    isStringField(o, "message", false) &&
    isStringField(o, "fix", false) &&
    isStringField(o, "landingZone", true) &&
    isStringField(o, "file", true);
  if (!ok) throw new Error(`policy produced a malformed violation: ${JSON.stringify(value)}`);
  const v: Violation = { id: o.id as string, path: o.path as string, message: o.message as string, fix: o.fix as string };
  if (typeof o.landingZone === "string") v.landingZone = o.landingZone;
  if (typeof o.file === "string") v.file = o.file;
  return v;
}

/** Stable order for output: file, landing zone, id, path, message. */
export function compareViolations(a: Violation, b: Violation): number {
  const keys = (v: Violation) => [v.file ?? "", v.landingZone ?? "", v.id, v.path, v.message];
  const ka = keys(a);
  const kb = keys(b);
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  }
  return 0;
}
