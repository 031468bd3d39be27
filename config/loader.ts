import { promises as fs } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { commaListFromEnv } from "./env-list";
import { PROJECT_ROOT } from "../app/project-root";
import { ConfigError, fileIssue, type ConfigIssue } from "./config-error";
import { closestField, knownFields } from "./field-suggestions";
import { normalizeLandingZone } from "./normalize";
import { landingZoneConfigSchema } from "./schema";
import type { NormalizedLandingZone } from "./types";
import { MAX_ISSUES_PER_FILE, readConfigFile } from "./yaml-source";
import { pathToString } from "./field-path";

export { ConfigError, type ConfigIssue } from "./config-error";

/** Environment variable naming the config files or folders to synthesize (comma-separated). */
export const CONFIG_ENV_VAR = "BACKUP_AUDIT_CONFIG";

/** The embedded default: the example landing zone shipped with the project. */
export const EXAMPLE_CONFIG = path.join(PROJECT_ROOT, "config", "example.yaml");

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
      throw new ConfigError([fileIssue(arg, "no such file or folder (name a landing-zone YAML file or a folder of them)")]);
    }
    if (stat.isDirectory()) {
      const entries = (await fs.readdir(abs)).filter((f) => /\.ya?ml$/.test(f)).sort();
      if (entries.length === 0) {
        throw new ConfigError([fileIssue(arg, "folder holds no .yaml or .yml landing-zone file")]);
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
  const paths = commaListFromEnv(env, CONFIG_ENV_VAR);
  if (paths === undefined) return [];
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

/** A value as the user can find it in the file, shortened. */
function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The raw value at a zod issue path (to echo it back), or undefined when the path leaves the document. */
function valueAt(root: unknown, segments: ReadonlyArray<PropertyKey>): unknown {
  let node = root;
  for (const seg of segments) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[seg];
  }
  return node;
}

/**
 * One zod issue as config issues: a missing field is worded as required, with what to add where; an unknown
 * field is one issue per key, at the key's own path (so at its own line); a wrong value is echoed.
 */
function describeZodIssue(issue: z.core.$ZodIssue, root: unknown): Array<{ segments: Array<string | number>; message: string }> {
  const segments = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code === "unrecognized_keys") {
    const known = knownFields(segments);
    return issue.keys.map((key) => {
      const guess = closestField(key, known);
      const fix = guess ? `did you mean "${guess}"?` : "remove it or check the spelling";
      const listed = known.length > 0 ? ` (fields here: ${known.join(", ")})` : "";
      return { segments: [...segments, key], message: `unknown field "${key}": ${fix}${listed}` };
    });
  }
  if (issue.code === "invalid_key") {
    // A record key (a tag key): zod nests the key's own issues.
    const why = issue.issues.map((i) => i.message).join("; ");
    return [{ segments, message: `${why}; got the key ${describeValue(String(segments[segments.length - 1] ?? ""))}` }];
  }
  const value = valueAt(root, segments);
  const field = String(segments[segments.length - 1] ?? "");
  const parent = segments.length > 1 ? pathToString(segments.slice(0, -1)) : "the top level";
  if (issue.code === "invalid_type" && value === undefined) {
    return [{ segments, message: `required field missing: add \`${field}:\` (${issue.expected}) to ${parent}` }];
  }
  if (issue.code === "invalid_type" && issue.expected === "string" && typeof value === "number") {
    // YAML reads 111122223333 as a number (and drops leading zeros): ids must be quoted.
    return [{ segments, message: `expected text, got the number ${value}: quote the value in YAML, e.g. "011122223333", so it stays text` }];
  }
  return [{ segments, message: `${issue.message}; got ${describeValue(value)}` }];
}

/** Reads, parses and validates one config file, then normalises it. */
export async function loadLandingZoneFile(file: string): Promise<NormalizedLandingZone> {
  const { value, locate } = readConfigFile(file);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError([{ file, path: "", message: "expected a YAML mapping with the landing-zone fields (name, managementAccountId, ...)", line: 1, column: 1 }]);
  }
  const parsed = landingZoneConfigSchema.safeParse(value);
  if (!parsed.success) {
    const described = parsed.error.issues.flatMap((issue) => describeZodIssue(issue, value));
    const issues: ConfigIssue[] = described.slice(0, MAX_ISSUES_PER_FILE).map(({ segments, message }) => {
      const pos = locate(segments);
      return { file, path: pathToString(segments), message, line: pos?.line ?? null, column: pos?.column ?? null };
    });
    if (described.length > MAX_ISSUES_PER_FILE) {
      issues.push(fileIssue(file, `and ${described.length - MAX_ISSUES_PER_FILE} more problem(s) like these`));
    }
    throw new ConfigError(issues);
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
  try {
    return readConfigFile(file).locate(parseFieldPath(fieldPath));
  } catch {
    return null;
  }
}
