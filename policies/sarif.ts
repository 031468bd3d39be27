import path from "node:path";
import type { Violation } from "./violation";

/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per violation id (help text = the fix), one result per
 * violation located at the config field's line and column.
 */

export type Locate = (file: string, fieldPath: string) => { line: number; column: number } | null;

export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: { name: string; version: string; rules: SarifRule[] } };
  results: SarifResult[];
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: "error" };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: "error";
  message: { text: string };
  locations: Array<{
    physicalLocation?: {
      artifactLocation: { uri: string };
      region?: { startLine: number; startColumn: number };
    };
    logicalLocations: Array<{ fullyQualifiedName: string; kind: string }>;
  }>;
  properties: { landingZone?: string; fieldPath: string; fix: string };
}

/** Repository-relative URI where the file lies under the working directory (code scanning needs that). */
function artifactUri(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file.split(path.sep).join("/");
  const rel = path.relative(cwd, file);
  if (rel && !rel.startsWith("..") && !path.isAbsolute(rel)) return rel.split(path.sep).join("/");
  return new URL(`file://${file.split(path.sep).join("/")}`).href;
}

/** Files that exist only as labels (the embedded example) have no physical location. */
function isRealFile(file: string | undefined): file is string {
  return file !== undefined && file.length > 0 && !file.startsWith("<");
}

export interface SarifOptions {
  /** Base of relative artifact URIs; default the working directory. */
  cwd?: string;
  /** Rule id → one-line title (policies/rule-titles.ts); the rule's first message otherwise. */
  titles?: Record<string, string>;
}

export function toSarif(violations: readonly Violation[], locate?: Locate, options: SarifOptions = {}): SarifLog {
  const cwd = options.cwd ?? process.cwd();
  const titles = options.titles ?? {};
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  for (const v of violations) {
    if (ruleIndex.has(v.id)) continue;
    ruleIndex.set(v.id, rules.length);
    rules.push({
      id: v.id,
      name: v.id,
      shortDescription: { text: titles[v.id] ?? v.message },
      // An example of the rule's message; docs/policies.md has the full table.
      fullDescription: { text: v.message },
      help: { text: v.fix },
      defaultConfiguration: { level: "error" },
    });
  }
  const results: SarifResult[] = violations.map((v) => {
    const logical = [{ fullyQualifiedName: v.path, kind: "member" }];
    let location: SarifResult["locations"][number] = { logicalLocations: logical };
    if (isRealFile(v.file)) {
      const pos = locate ? locate(v.file, v.path) : null;
      location = {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(v.file, cwd) },
          ...(pos ? { region: { startLine: pos.line, startColumn: pos.column } } : {}),
        },
        logicalLocations: logical,
      };
    }
    return {
      ruleId: v.id,
      ruleIndex: ruleIndex.get(v.id) ?? 0,
      level: "error",
      message: { text: `${v.path}: ${v.message}` },
      locations: [location],
      properties: { ...(v.landingZone !== undefined ? { landingZone: v.landingZone } : {}), fieldPath: v.path, fix: v.fix },
    };
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "backup-audit policy gate",
            version: "1.0.0",
            rules,
          },
        },
        results,
      },
    ],
  };
}
