import { promises as fs, readFileSync } from "node:fs";
import path from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import type { z } from "zod";
import { PROJECT_ROOT } from "../app/project-root";
import { normalizeLandingZone } from "./normalize";
import { landingZoneConfigSchema } from "./schema";
import type { NormalizedLandingZone } from "./types";

/** Environment variable naming the config files or folders to synthesize (comma-separated). */
export const CONFIG_ENV_VAR = "BACKUP_AUDIT_CONFIG";

/** The embedded default: the example landing zone shipped with the project. */
export const EXAMPLE_CONFIG = path.join(PROJECT_ROOT, "config", "example.yaml");

/** One problem in one config file: where it is and how to fix it. */
export interface ConfigIssue {
  /** The config file (or what a TypeScript config is labelled with). */
  file: string;
  /** Dotted field path, e.g. `reports.scope.regions[0]`; empty for file-level problems. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
  /** 1-based line in the file, when known. */
  line: number | null;
  /** 1-based column, when known. */
  column: number | null;
}

/** Raised for any unreadable or invalid config; the message lists every issue, one per line. */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "ConfigError";
  }
}

function formatIssue(issue: ConfigIssue): string {
  const where = issue.line !== null ? `${issue.file}:${issue.line}:${issue.column ?? 1}` : issue.file;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/**
 * Expands config arguments: a file stays a file, a folder yields its `*.yaml`/`*.yml` files (sorted).
 * No argument at all means the embedded example.
 */
export async function resolveConfigPaths(args: readonly string[]): Promise<string[]> {
  if (args.length === 0) return [EXAMPLE_CONFIG];
  const files: string[] = [];
  for (const arg of args) {
    const abs = path.resolve(arg);
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch {
      throw new ConfigError([
        { file: arg, path: "", message: "no such file or folder (name a landing-zone YAML file or a folder of them)", line: null, column: null },
      ]);
    }
    if (stat.isDirectory()) {
      const entries = (await fs.readdir(abs)).filter((f) => /\.ya?ml$/.test(f)).sort();
      if (entries.length === 0) {
        throw new ConfigError([
          { file: arg, path: "", message: "folder holds no .yaml or .yml landing-zone file", line: null, column: null },
        ]);
      }
      files.push(...entries.map((f) => path.join(abs, f)));
    } else {
      files.push(abs);
    }
  }
  return files;
}

/**
 * Config paths from `BACKUP_AUDIT_CONFIG` (comma-separated files or folders); unset means the example. Set but
 * empty is refused: a pipeline variable that lost its value must not deploy the example's accounts.
 */
export function configArgsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env[CONFIG_ENV_VAR];
  if (raw === undefined) return [];
  const paths = raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (paths.length === 0) {
    throw new ConfigError([
      {
        file: `$${CONFIG_ENV_VAR}`,
        path: "",
        message: "is set but names no config file or folder: set it to comma-separated paths, or unset it to use the example",
        line: null,
        column: null,
      },
    ]);
  }
  return paths;
}

function pathToString(segments: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const seg of segments) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** Splits `reports.scope.regions[0]` into ["reports", "scope", "regions", 0]. */
export function parseFieldPath(fieldPath: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of fieldPath.split(".")) {
    if (part === "") continue;
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

interface ParsedYaml {
  value: unknown;
  locate: (segments: ReadonlyArray<string | number>) => { line: number; column: number } | null;
}

function parseYaml(file: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return {
          file,
          path: "",
          message: `YAML syntax error: ${e.message.split("\n")[0]}`,
          line: pos?.line ?? null,
          column: pos?.col ?? null,
        };
      }),
    );
  }
  const locate = (segments: ReadonlyArray<string | number>) => {
    // The deepest node that exists: a defaulted field points at its parent, which is where to add it.
    let node: unknown = doc.contents;
    let found: YamlNode | null = (doc.contents as YamlNode | null) ?? null;
    for (const seg of segments) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        node = pair.value;
        // Point at the key so that the position lands on `field:` whatever the value's shape.
        found = (pair.key as YamlNode | null) ?? found;
      } else if (isSeq(node) && typeof seg === "number" && seg < node.items.length) {
        node = node.items[seg];
        found = (node as YamlNode) ?? found;
      } else {
        break;
      }
    }
    const start = found?.range?.[0];
    if (start === undefined) return null;
    const pos = lineCounter.linePos(start);
    return { line: pos.line, column: pos.col };
  };
  return { value: doc.toJS({ maxAliasCount: 100 }), locate };
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  // Messages from the schema's regexes already say what is expected; add the fix for unknown keys.
  if (issue.code === "unrecognized_keys") {
    return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}: remove them or check the spelling (see config/landing-zone.schema.json)`;
  }
  if (issue.code === "invalid_type" && issue.expected === "string" && /received number/.test(issue.message)) {
    // YAML reads 111122223333 as a number (and drops leading zeros): ids must be quoted.
    return `${issue.message}: quote the value in YAML, e.g. "011122223333", so it stays text`;
  }
  return issue.message;
}

/** Reads, parses and validates one config file, then normalises it. */
export async function loadLandingZoneFile(file: string): Promise<NormalizedLandingZone> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (err) {
    throw new ConfigError([
      { file, path: "", message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`, line: null, column: null },
    ]);
  }
  const { value, locate } = parseYaml(file, text);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError([{ file, path: "", message: "expected a YAML mapping with the landing-zone fields (name, managementAccountId, ...)", line: 1, column: 1 }]);
  }
  const parsed = landingZoneConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const segments = issue.path.filter((p): p is string | number => typeof p !== "symbol");
        const pos = locate(segments);
        return {
          file,
          path: pathToString(issue.path),
          message: describeZodIssue(issue),
          line: pos?.line ?? null,
          column: pos?.column ?? null,
        };
      }),
    );
  }
  return normalizeLandingZone(parsed.data, file);
}

/**
 * Loads every landing zone of the run. All files are read before anything fails, so one run reports every
 * broken file; landing-zone names must be unique because they prefix the stack names.
 */
export async function loadLandingZones(paths: readonly string[]): Promise<NormalizedLandingZone[]> {
  const files = await resolveConfigPaths(paths);
  const issues: ConfigIssue[] = [];
  const zones: NormalizedLandingZone[] = [];
  for (const file of files) {
    try {
      zones.push(await loadLandingZoneFile(file));
    } catch (err) {
      if (err instanceof ConfigError) issues.push(...err.issues);
      else throw err;
    }
  }
  const seen = new Map<string, string>();
  for (const lz of zones) {
    const other = seen.get(lz.name);
    if (other !== undefined) {
      const pos = locateField(lz.sourceFile, "name");
      issues.push({
        file: lz.sourceFile,
        path: "name",
        message: `landing-zone name "${lz.name}" is already used by ${other}; stack names must be unique: rename one`,
        line: pos?.line ?? null,
        column: pos?.column ?? null,
      });
    } else {
      seen.set(lz.name, lz.sourceFile);
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return zones;
}

/**
 * Line and column of a field in a config file (the nearest existing ancestor for defaulted fields), for
 * SARIF results and messages. Null when the file cannot be read or parsed.
 */
export function locateField(file: string, fieldPath: string): { line: number; column: number } | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  try {
    return parseYaml(file, text).locate(parseFieldPath(fieldPath));
  } catch {
    return null;
  }
}
