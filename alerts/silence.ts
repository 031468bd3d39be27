import type { JobAlert } from "./job-alert";

/** A known failure not to alert on: a resource, an account, or a resource in an account, until a day (UTC). */
export interface SilenceRule {
  readonly resourceArn?: string;
  readonly account?: string;
  /** Last silenced day, `YYYY-MM-DD` (UTC), inclusive. */
  readonly until: string;
  readonly reason: string;
}

/**
 * The rule that silences an alert at `now`, or null. A rule matches when every field it names matches; it
 * applies through the whole `until` day (UTC). Pure.
 */
export function silencedBy(alert: JobAlert, rules: readonly SilenceRule[], now: Date): SilenceRule | null {
  const today = now.toISOString().slice(0, 10);
  for (const r of rules) {
    if (r.resourceArn === undefined && r.account === undefined) continue;
    if (r.until < today) continue;
    if (r.resourceArn !== undefined && r.resourceArn !== alert.resource) continue;
    if (r.account !== undefined && r.account !== alert.account) continue;
    return r;
  }
  return null;
}

/** Reads the SILENCE environment variable (JSON list of rules); throws on a malformed one. */
export function parseSilenceRules(json: string | undefined): SilenceRule[] {
  if (json === undefined || json === "") return [];
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) throw new Error("SILENCE is not a JSON list");
  return parsed.map((r: unknown, i) => {
    const o = r as Record<string, unknown>;
    if (typeof o !== "object" || o === null || typeof o.until !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(o.until) || typeof o.reason !== "string") {
      throw new Error(`SILENCE[${i}] needs until (YYYY-MM-DD) and reason`);
    }
    if (o.resourceArn === undefined && o.account === undefined) throw new Error(`SILENCE[${i}] names neither resourceArn nor account`);
    return {
      until: o.until,
      reason: o.reason,
      ...(typeof o.resourceArn === "string" ? { resourceArn: o.resourceArn } : {}),
      ...(typeof o.account === "string" ? { account: o.account } : {}),
    };
  });
}
