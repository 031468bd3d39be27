import { ruleTitles } from "./rule-titles";
import { toSarif, type Locate } from "./sarif";
import { compareViolations, type Violation } from "./violation";

export type ViolationFormat = "text" | "json" | "sarif";

export const VIOLATION_FORMATS: readonly ViolationFormat[] = ["text", "json", "sarif"];

function textLine(v: Violation, locate?: Locate): string {
  let where = v.file ?? "";
  if (v.file !== undefined) {
    const pos = locate ? locate(v.file, v.path) : null;
    if (pos) where += `:${pos.line}:${pos.column}`;
  }
  const lz = v.landingZone !== undefined ? ` [${v.landingZone}]` : "";
  const head = where ? `${where}: ` : "";
  return `${head}${v.id}${lz} ${v.path}: ${v.message}\n    fix: ${v.fix}`;
}

/**
 * Renders violations (sorted) as text for people, JSON (an array of Violation) for scripts, or SARIF 2.1.0 for
 * code scanning. `locate` turns a file and field path into a line and column (config/loader.ts locateField);
 * `policyDirs` are the custom policy folders in use, whose `# rule` comments give SARIF its rule titles.
 */
export function formatViolations(
  violations: readonly Violation[],
  format: ViolationFormat,
  locate?: Locate,
  policyDirs: readonly string[] = [],
): string {
  const sorted = [...violations].sort(compareViolations);
  switch (format) {
    case "json":
      return `${JSON.stringify(sorted, null, 2)}\n`;
    case "sarif":
      return `${JSON.stringify(toSarif(sorted, locate, { titles: ruleTitles(policyDirs) }), null, 2)}\n`;
    case "text": {
      if (sorted.length === 0) return "policy gate: no violations\n";
      const lines = sorted.map((v) => textLine(v, locate));
      const noun = sorted.length === 1 ? "violation" : "violations";
      return `${lines.join("\n")}\npolicy gate: ${sorted.length} ${noun}\n`;
    }
  }
}

/**
 * Warnings (the config policies' `warnings`) as text lines for stderr, each `warning: ` and then what a violation
 * line says (file:line:column, id, landing zone, field, message, fix). Empty when there are none.
 */
export function formatWarnings(warnings: readonly Violation[], locate?: Locate): string {
  return [...warnings]
    .sort(compareViolations)
    .map((w) => `warning: ${textLine(w, locate)}\n`)
    .join("");
}
