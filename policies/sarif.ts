import path from "node:path";
import type { Violation } from "./violation";

/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per violation id (help text = the fix), one result per
 * violation located at the config field's line and column. The plan guard adds levels (warnings) and waived
 * results (SARIF suppressions with the waiver's justification).
 */

export type SarifLevel = "error" | "warning" | "note";

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
  defaultConfiguration: { level: SarifLevel };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: Array<{
    physicalLocation?: {
      artifactLocation: { uri: string };
      region?: { startLine: number; startColumn: number };
    };
    logicalLocations: Array<{ fullyQualifiedName: string; kind: string }>;
  }>;
  properties: { landingZone?: string; fieldPath: string; fix: string };
  /** Present on results a waiver accepted (SARIF 2.1.0 suppression objects): kind external, status accepted. */
  suppressions?: Array<{ kind: "external"; status: "accepted"; justification: string }>;
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
  /** The driver's name; default "backup-audit policy gate". */
  toolName?: string;
  /** Level of a violation's result (and of its rule, from the first one); default "error". */
  levelOf?: (v: Violation) => SarifLevel;
  /** Justification when a waiver accepted the violation: the result gets a suppression. */
  suppressionOf?: (v: Violation) => string | undefined;
}

export function toSarif(violations: readonly Violation[], locate?: Locate, options: SarifOptions = {}): SarifLog {
  const cwd = options.cwd ?? process.cwd();
  const titles = options.titles ?? {};
  const levelOf = options.levelOf ?? (() => "error" as const);
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
      defaultConfiguration: { level: levelOf(v) },
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
    const justification = options.suppressionOf?.(v);
    return {
      ruleId: v.id,
      ruleIndex: ruleIndex.get(v.id) ?? 0,
      level: levelOf(v),
      message: { text: `${v.path}: ${v.message}` },
      locations: [location],
      properties: { ...(v.landingZone !== undefined ? { landingZone: v.landingZone } : {}), fieldPath: v.path, fix: v.fix },
      ...(justification !== undefined ? { suppressions: [{ kind: "external" as const, status: "accepted" as const, justification }] } : {}),
    };
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: options.toolName ?? "backup-audit policy gate",
            version: "1.0.0",
            rules,
          },
        },
        results,
      },
    ],
  };
}
