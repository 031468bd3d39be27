import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError, type ConfigIssue } from "../config/config-error";
import { parseConfigYaml } from "../config/yaml-source";
import { PlanInputError } from "./plan-input";

/**
 * The plan guard's waiver file (YAML): each waiver names a rule id, a resource address pattern, optionally the
 * stacks it applies to, an owner, a reason and an expiry date. Matching and expiry are decided by the Rego
 * policies (policies/plan/waivers.rego); this module only reads and checks the file, so that a waiver with a
 * missing owner or a date that is not a date is refused (exit 2) instead of silently waiving or expiring.
 */

/** Rule ids a waiver may not name: the waiver rules themselves. */
export const WAIVER_RULE_IDS = ["BAI228", "BAI229"] as const;

/** A waiver as the policies read it. */
export interface Waiver {
  /** Position in the file's list (0-based); reports name it as `waivers[<index>]`. */
  readonly index: number;
  /** The waiver file, or `<waivers>` for waivers given in code. */
  readonly file: string;
  /** Line and column of the entry in the file (null for waivers given in code). */
  readonly line: number | null;
  /** Column of the entry (null for waivers given in code). */
  readonly column: number | null;
  /** The rule id it waives, e.g. BAI201. */
  readonly rule: string;
  /** Glob over resource addresses (`*` any run of characters, `?` one character), e.g. `aws_s3_bucket.reports-bucket_*`. */
  readonly address: string;
  /** Glob over stack names; `*` (every stack) when not given. */
  readonly stack: string;
  /** Who answers for it (a person or a team). */
  readonly owner: string;
  /** Why the change is accepted (a change ticket, what was done to keep the data). */
  readonly reason: string;
  /** Last day (UTC, YYYY-MM-DD) the waiver is in force. */
  readonly expires: string;
}

/** A waiver given in code (checkPlans' `waivers` option): the file's fields. */
export interface WaiverInput {
  /** The rule id it waives, e.g. BAI201. */
  readonly rule: string;
  /** Glob over resource addresses. */
  readonly address: string;
  /** Glob over stack names; default `*`. */
  readonly stack?: string;
  /** Who answers for it. */
  readonly owner: string;
  /** Why the change is accepted. */
  readonly reason: string;
  /** Last day (UTC, YYYY-MM-DD) it is in force. */
  readonly expires: string;
}

/** YYYY-MM-DD that is a real calendar day. */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

const nonBlank = (what: string) => z.string({ message: `${what} must be text` }).trim().min(1, { message: `${what} must not be empty` });

const waiverSchema = z.strictObject({
  rule: z
    .string({ message: "rule must be a rule id such as BAI201" })
    .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { message: "rule must be a rule id such as BAI201" })
    .refine((id) => !(WAIVER_RULE_IDS as readonly string[]).includes(id), {
      message: `${WAIVER_RULE_IDS.join(" and ")} (expired and unused waivers) cannot be waived: renew or remove the waiver they report`,
    }),
  address: nonBlank("address"),
  stack: nonBlank("stack").optional(),
  owner: nonBlank("owner"),
  reason: nonBlank("reason"),
  expires: z
    .string({ message: "expires must be a date written YYYY-MM-DD" })
    .refine(isCalendarDay, { message: "expires must be a calendar day written YYYY-MM-DD, e.g. 2026-07-31" }),
});

const fileSchema = z.strictObject({ waivers: z.array(waiverSchema) });

function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const segments = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  let node = root;
  for (const seg of segments) node = node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[seg] : undefined;
  const field = String(segments[segments.length - 1] ?? "");
  if (issue.code === "unrecognized_keys") {
    return `unknown field(s) ${issue.keys.join(", ")}: a waiver has rule, address, stack (optional), owner, reason and expires`;
  }
  if (issue.code === "invalid_type" && node === undefined) return `required field missing: add \`${field}:\``;
  const got = JSON.stringify(node);
  return got !== undefined && node !== undefined && typeof node !== "object" ? `${issue.message}; got ${got}` : issue.message;
}

function pathToString(segments: ReadonlyArray<string | number>): string {
  return segments.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

/** Checks waivers given in code and returns them as the policies read them. */
export function toWaivers(inputs: readonly WaiverInput[], file = "<waivers>"): Waiver[] {
  const parsed = z.array(waiverSchema).safeParse(inputs);
  if (!parsed.success) {
    throw new PlanInputError(
      parsed.error.issues.map((issue) => ({
        file,
        path: pathToString(issue.path.filter((p): p is string | number => typeof p !== "symbol")),
        message: describeIssue(issue, inputs),
        line: null,
        column: null,
      })),
    );
  }
  return parsed.data.map((w, index) => ({ index, file, line: null, column: null, ...w, stack: w.stack ?? "*" }));
}

/** Reads and checks a waiver file; throws PlanInputError naming the file, line, field and fix. */
export function loadWaiverFile(file: string): Waiver[] {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code !== undefined ? `cannot read the file (${code})` : "is not UTF-8 text";
    throw new PlanInputError([{ file, path: "", message: `${why}: give a YAML file with a \`waivers:\` list (docs/policies.md, "Waivers")`, line: null, column: null }]);
  }
  let parsed;
  try {
    parsed = parseConfigYaml(file, text);
  } catch (err) {
    if (err instanceof ConfigError) throw new PlanInputError(err.issues);
    throw err;
  }
  const value = parsed.value ?? { waivers: [] };
  const result = fileSchema.safeParse(value);
  if (!result.success) {
    const issues: ConfigIssue[] = result.error.issues.map((issue) => {
      const segments = issue.path.filter((p): p is string | number => typeof p !== "symbol");
      const at = issue.code === "unrecognized_keys" ? [...segments, issue.keys[0]] : segments;
      const pos = parsed.locate(at);
      return { file, path: pathToString(segments), message: describeIssue(issue, value), line: pos?.line ?? null, column: pos?.column ?? null };
    });
    throw new PlanInputError(issues);
  }
  return result.data.waivers.map((w, index) => {
    const pos = parsed.locate(["waivers", index]);
    return { index, file, line: pos?.line ?? null, column: pos?.column ?? null, ...w, stack: w.stack ?? "*" };
  });
}
