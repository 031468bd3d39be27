import { evaluatePolicySet } from "./gate";
import { PlanInputError, PlanPositions, readPlanFile, stackNameFromPath, validatePlan, type PlanInput, type TerraformPlanJson } from "./plan-input";
import { compareViolations, toViolation, type Violation } from "./violation";
import { isCalendarDay, loadWaiverFile, toWaivers, type Waiver, type WaiverInput } from "./waivers";
import type { Position } from "./json-position";

/**
 * The plan guard: the third Rego policy set (policies/plan, built to Wasm and committed like the other two) over
 * the JSON of saved Terraform plans, with deny and warn levels and expiring waivers. This module has no cdktf
 * import: scripts call `checkPlans` on plans they made (`terraform show -json`), and `backup-audit check-plan`
 * is a thin command over it. The rules and the waiver matching live in Rego; here the plans and waivers are read,
 * checked and handed over, and the report is shaped.
 */

export { PlanInputError, readPlanFile, stackNameFromPath, type PlanInput } from "./plan-input";
export { loadWaiverFile, type Waiver, type WaiverInput } from "./waivers";

/** A finding of the plan guard. `path` is the resource address (or `waivers[<i>]` for a waiver's own finding). */
export interface PlanFinding extends Violation {
  /** deny: refuses the plan (unless waived); warn: reported only. */
  level: "deny" | "warn";
  /** The stack of the plan (or the waiver's stack pattern). */
  stack: string;
  /** The resource address in the plan ("" for a finding about the whole plan; the pattern for a waiver's finding). */
  address: string;
  /** The change's actions, e.g. ["delete", "create"] for a replacement. */
  actions: string[];
}

/** A finding a waiver in force let through, with that waiver. */
export interface WaivedFinding extends PlanFinding {
  /** The first waiver in force (by position) whose rule, address and stack match the finding. */
  waiver: Waiver;
}

/** What one plan changes, by kind of action (managed resources only). */
export interface PlanSummary {
  /** The plan file. */
  file: string;
  /** The stack the plan is of. */
  stack: string;
  /** `terraform_version` of the plan. */
  terraformVersion: string;
  /** `format_version` of the plan's JSON (1.x). */
  formatVersion: string;
  /** Resources to create. */
  create: number;
  /** Resources to update in place. */
  update: number;
  /** Resources to replace (delete and create, in either order). */
  replace: number;
  /** Resources (and deposed objects) to delete. */
  delete: number;
  /** Resources the plan leaves as they are: no-op, read and forget. */
  unchanged: number;
}

/** What checkPlans returns: the verdict, the findings by status, and a summary of each plan. */
export interface PlanCheckResult {
  /** No deny finding is left once the waivers are applied (expired waivers are deny findings). */
  passed: boolean;
  /** The day the waivers were judged on (UTC, YYYY-MM-DD). */
  today: string;
  /** Findings that refuse the plans, sorted. */
  denied: PlanFinding[];
  /** Warnings, including waivers that match nothing, sorted. */
  warnings: PlanFinding[];
  /** Findings waived, each with its waiver, sorted. */
  waived: WaivedFinding[];
  /** One summary per plan checked, in the order given. */
  plans: PlanSummary[];
  /** Line and column of a finding's file and path where known (plan files read from disk, waiver files). */
  locate(file: string, findingPath: string): Position | null;
}

/** Options of checkPlans and checkPlanFiles. */
export interface CheckPlanOptions {
  /** Waivers given in code (checked like the file's entries); added after those of `waiverFile`. */
  readonly waivers?: readonly WaiverInput[];
  /** A waiver file (YAML, docs/policies.md "Waivers"). */
  readonly waiverFile?: string;
  /** The day waivers are judged on: YYYY-MM-DD or a Date (its UTC day). Default: today (UTC). */
  readonly today?: string | Date;
  /** Folders of custom Rego rules in package backup_audit.plan (compiled with the built-in ones: needs opa). */
  readonly policyDirs?: readonly string[];
}

/** The UTC day of a date as YYYY-MM-DD. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function resolveToday(today: string | Date | undefined): string {
  if (today === undefined) return utcDay(new Date());
  if (today instanceof Date) {
    if (Number.isNaN(today.getTime())) throw new PlanInputError([{ file: "<options>", path: "today", message: "is not a valid date", line: null, column: null }]);
    return utcDay(today);
  }
  if (!isCalendarDay(today)) {
    throw new PlanInputError([{ file: "<options>", path: "today", message: `"${today}" is not a calendar day written YYYY-MM-DD`, line: null, column: null }]);
  }
  return today;
}

function summarize(file: string, stack: string, plan: TerraformPlanJson): PlanSummary {
  const summary: PlanSummary = { file, stack, terraformVersion: plan.terraform_version, formatVersion: plan.format_version, create: 0, update: 0, replace: 0, delete: 0, unchanged: 0 };
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== "managed") continue;
    const a = rc.change.actions;
    if (a.includes("delete") && a.includes("create")) summary.replace++;
    else if (a.includes("delete")) summary.delete++;
    else if (a.includes("create")) summary.create++;
    else if (a.includes("update")) summary.update++;
    else summary.unchanged++;
  }
  return summary;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

function toFinding(value: unknown): PlanFinding {
  const v = toViolation(value);
  const o = value as Record<string, unknown>;
  if ((o.level !== "deny" && o.level !== "warn") || typeof o.stack !== "string" || typeof o.address !== "string" || !isStringArray(o.actions)) {
    throw new Error(`plan policies produced a malformed finding: ${JSON.stringify(value)}`);
  }
  return { ...v, level: o.level, stack: o.stack, address: o.address, actions: [...o.actions] };
}

function findingsOf(report: Record<string, unknown>, key: string): unknown[] {
  const list = report[key];
  if (!Array.isArray(list)) throw new Error(`plan policies: report.${key} is not a list: ${JSON.stringify(list)}`);
  return list;
}

/**
 * Checks plans (parsed `terraform show -json` documents) against the plan guard's policies and any custom ones,
 * with waivers. Throws PlanInputError for a plan, waiver or date it cannot read (never a pass), and the gate's
 * setup errors (isGateSetupError: stale module, custom folder problems) as they are.
 */
export function checkPlans(plans: readonly PlanInput[], options: CheckPlanOptions = {}): PlanCheckResult {
  const today = resolveToday(options.today);
  const waivers = [...(options.waiverFile !== undefined ? loadWaiverFile(options.waiverFile) : [])];
  if (options.waivers && options.waivers.length > 0) {
    for (const w of toWaivers(options.waivers)) waivers.push({ ...w, index: waivers.length });
  }
  const positions = new Map<string, { doc: PlanPositions; indexOf: Map<string, number> }>();
  const summaries: PlanSummary[] = [];
  const inputPlans = plans.map((p) => {
    const plan = validatePlan(p.plan, p.file, p.text);
    const stack = p.stack ?? stackNameFromPath(p.file);
    summaries.push(summarize(p.file, stack, plan));
    if (p.text !== undefined) {
      const indexOf = new Map<string, number>();
      (plan.resource_changes ?? []).forEach((rc, i) => {
        if (!indexOf.has(rc.address)) indexOf.set(rc.address, i);
      });
      positions.set(p.file, { doc: new PlanPositions(p.text), indexOf });
    }
    return { file: p.file, stack, plan: p.plan };
  });

  const report = evaluatePolicySet("plan", { today, plans: inputPlans, waivers }, options.policyDirs ?? []);
  if (report === null || typeof report !== "object" || Array.isArray(report)) {
    throw new Error(`plan policies: the report is not an object: ${JSON.stringify(report)}`);
  }
  const r = report as Record<string, unknown>;
  const byIndex = new Map(waivers.map((w) => [w.index, w]));
  const denied = findingsOf(r, "deny").map(toFinding).sort(compareViolations);
  const warnings = findingsOf(r, "warn").map(toFinding).sort(compareViolations);
  const waived = findingsOf(r, "waived")
    .map((value): WaivedFinding => {
      const index = ((value as Record<string, unknown>).waiver as { index?: unknown } | undefined)?.index;
      const waiver = typeof index === "number" ? byIndex.get(index) : undefined;
      if (!waiver) throw new Error(`plan policies: a waived finding without its waiver: ${JSON.stringify(value)}`);
      return { ...toFinding(value), waiver };
    })
    .sort(compareViolations);

  const waiverPositions = new Map(waivers.map((w) => [`${w.file}\0waivers[${w.index}]`, w]));
  const locate = (file: string, findingPath: string): Position | null => {
    const w = waiverPositions.get(`${file}\0${findingPath}`);
    if (w) return w.line !== null ? { line: w.line, column: w.column ?? 1 } : null;
    const p = positions.get(file);
    if (!p) return null;
    const index = p.indexOf.get(findingPath);
    if (index !== undefined) return p.doc.resourceChange(index);
    return findingPath === "errored" ? p.doc.locate(["errored"]) : null;
  };
  return { passed: denied.length === 0, today, denied, warnings, waived, plans: summaries, locate };
}

/** checkPlans on plan files (the JSON of `terraform show -json`), each file's stack derived from its path. */
export function checkPlanFiles(files: readonly string[], options: CheckPlanOptions = {}): PlanCheckResult {
  const plans: PlanInput[] = [];
  const issues: PlanInputError["issues"] = [];
  // Every file is read before anything fails, so one run reports every unreadable plan.
  for (const file of files) {
    try {
      plans.push(readPlanFile(file));
    } catch (err) {
      if (!(err instanceof PlanInputError)) throw err;
      issues.push(...err.issues);
    }
  }
  if (issues.length > 0) throw new PlanInputError(issues);
  return checkPlans(plans, options);
}
