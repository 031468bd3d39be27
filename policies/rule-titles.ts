import { PROJECT_ROOT } from "../app/project-root";
import { POLICY_SETS, readRegoSources } from "./policy-sets";

/**
 * One-line titles of the rules, read from the `# rule <ID>: <title>` comment above each rule in the Rego
 * sources (built-in and custom), so that the title lives beside the rule. SARIF uses them as rule descriptions.
 */

/** Schema problems reported by `validate` (not a Rego rule: the zod schema finds them). */
export const SCHEMA_RULE_TITLE = "The config file matches the landing-zone schema";

const RULE_COMMENT = /^# rule ([A-Za-z][A-Za-z0-9_-]*): (.+)$/gm;

const cached = new Map<string, Record<string, string>>();

/** Titles of the built-in rules and of the rules in `extraDirs` (custom policy folders). */
export function ruleTitles(extraDirs: readonly string[] = [], root: string = PROJECT_ROOT): Record<string, string> {
  const key = [root, ...extraDirs].join("\0");
  const hit = cached.get(key);
  if (hit) return hit;
  const titles: Record<string, string> = { BAI000: SCHEMA_RULE_TITLE };
  for (const dir of [...Object.values(POLICY_SETS).map((s) => s.dir), ...extraDirs]) {
    try {
      for (const source of Object.values(readRegoSources(dir, root))) {
        for (const m of source.matchAll(RULE_COMMENT)) titles[m[1]] ??= m[2].trim();
      }
    } catch {
      // Titles are decoration: without the sources, SARIF falls back to the first message of each rule.
    }
  }
  cached.set(key, titles);
  return titles;
}
