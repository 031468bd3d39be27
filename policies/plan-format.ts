import type { PlanCheckResult, PlanFinding, PlanSummary, WaivedFinding } from "./plan-check";
import { ruleTitles } from "./rule-titles";
import { toSarif, type SarifLevel } from "./sarif";
import type { ViolationFormat } from "./format";

/**
 * The plan guard's report as text (people, the job summary), JSON (scripts) or SARIF 2.1.0 (code scanning):
 * refused findings, warnings, and waived findings with their waiver, then one line per plan and the verdict.
 */

export type PlanReportFormat = ViolationFormat;

function where(result: PlanCheckResult, f: PlanFinding): string {
  const pos = f.file !== undefined ? result.locate(f.file, f.path) : null;
  const file = f.file ?? "";
  return pos ? `${file}:${pos.line}:${pos.column}` : file;
}

function findingLines(result: PlanCheckResult, f: PlanFinding, label: string): string[] {
  const lz = f.landingZone !== undefined ? ` [${f.landingZone}]` : "";
  return [`${where(result, f)}: ${label} ${f.id}${lz} ${f.path}: ${f.message}`, `    fix: ${f.fix}`];
}

function waiverLine(f: WaivedFinding): string {
  const w = f.waiver;
  const at = w.line !== null ? `${w.file}:${w.line}` : `${w.file} waivers[${w.index}]`;
  return `    waiver: ${at} (${w.rule} ${w.address}, stack ${w.stack}, owner ${w.owner}, in force until ${w.expires}): ${w.reason}`;
}

function planLine(p: PlanSummary): string {
  return (
    `plan ${p.stack} (${p.file}, Terraform ${p.terraformVersion}): ${p.create} to create, ${p.update} to update, ` +
    `${p.replace} to replace, ${p.delete} to delete, ${p.unchanged} unchanged`
  );
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The verdict line: `plan check: refused: 1 denied, 2 warnings, 1 waived`. */
export function planVerdict(result: PlanCheckResult): string {
  const parts = [count(result.denied.length, "denied", "denied"), count(result.warnings.length, "warning", "warnings"), count(result.waived.length, "waived", "waived")];
  return `plan check: ${result.passed ? "passed" : "refused"}: ${parts.join(", ")}`;
}

function text(result: PlanCheckResult): string {
  const lines: string[] = [];
  for (const f of result.denied) lines.push(...findingLines(result, f, "deny"));
  for (const f of result.warnings) lines.push(...findingLines(result, f, "warn"));
  for (const f of result.waived) lines.push(...findingLines(result, f, "waived"), waiverLine(f));
  for (const p of result.plans) lines.push(planLine(p));
  lines.push(planVerdict(result));
  return `${lines.join("\n")}\n`;
}

function json(result: PlanCheckResult): string {
  const { passed, today, denied, warnings, waived, plans } = result;
  return `${JSON.stringify({ passed, today, plans, denied, warnings, waived }, null, 2)}\n`;
}

function sarif(result: PlanCheckResult, policyDirs: readonly string[]): string {
  // Unwaived findings first, so that a rule's default level is that of a finding that counts.
  const all: PlanFinding[] = [...result.denied, ...result.warnings, ...result.waived];
  const waived = new Set<PlanFinding>(result.waived);
  const levelOf = (f: PlanFinding): SarifLevel => (waived.has(f) ? "note" : f.level === "deny" ? "error" : "warning");
  const log = toSarif(all, result.locate, {
    titles: ruleTitles(policyDirs),
    toolName: "backup-audit plan guard",
    levelOf: (v) => levelOf(v as PlanFinding),
    suppressionOf: (v) => {
      if (!waived.has(v as PlanFinding)) return undefined;
      const w = (v as WaivedFinding).waiver;
      return `waived by ${w.file}${w.line !== null ? `:${w.line}` : ""} (owner ${w.owner}, until ${w.expires}): ${w.reason}`;
    },
  });
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** Renders a plan check result; `policyDirs` are the custom rule folders in use (SARIF rule titles). */
export function formatPlanCheck(result: PlanCheckResult, format: PlanReportFormat, policyDirs: readonly string[] = []): string {
  switch (format) {
    case "json":
      return json(result);
    case "sarif":
      return sarif(result, policyDirs);
    case "text":
      return text(result);
  }
}
