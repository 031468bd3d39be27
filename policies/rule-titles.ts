import { PROJECT_ROOT } from "../app/project-root";
import { gatePolicySets, readRegoSources } from "./compile-cache";

/**
 * One-line titles of the rules, read from the `# rule BAI0xx: <title>` comment above each rule in the Rego
 * sources, so that the title lives beside the rule. SARIF uses them as rule descriptions.
 */

/** Schema problems reported by `validate` (not a Rego rule: the zod schema finds them). */
export const SCHEMA_RULE_TITLE = "The config file matches the landing-zone schema";

const RULE_COMMENT = /^# rule (BAI\d{3}): (.+)$/gm;

let cached: Record<string, string> | null = null;

export function ruleTitles(root: string = PROJECT_ROOT): Record<string, string> {
  if (cached) return cached;
  const titles: Record<string, string> = { BAI000: SCHEMA_RULE_TITLE };
  for (const set of Object.values(gatePolicySets(root))) {
    try {
      for (const source of Object.values(readRegoSources(set.dir, root))) {
        for (const m of source.matchAll(RULE_COMMENT)) titles[m[1]] ??= m[2].trim();
      }
    } catch {
      // Titles are decoration: without the sources, SARIF falls back to the first message of each rule.
    }
  }
  cached = titles;
  return titles;
}
