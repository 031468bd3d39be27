import * as fs from "fs";
import * as path from "path";
import { TRAIL_TABLE_NAME } from "./trail-table";
import { allTemplateSpecs, templateSpec, type ReportTemplate } from "../reports/templates";

/**
 * The named-query catalog: every `queries/*.sql` file is one Athena named query that also runs on the local
 * DuckDB engine. The header comments are the query's metadata, so the SQL file stays the single source for the
 * analytics stack (aws_athena_named_query), the CLI and the tests.
 *
 *   -- name: failed_backup_jobs_in_region
 *   -- description: one line
 *   -- param: region — the AWS Region (data column `region`)
 *   SELECT ... WHERE region = ?
 *
 * `param` lines are listed in the order of the `?` placeholders (Athena execution parameters are positional).
 */

export interface NamedQueryParam {
  readonly name: string;
  readonly description: string;
}

export interface NamedQuery {
  /** Unique name; Athena named-query name and CLI argument. */
  readonly name: string;
  /** One line; Athena named-query description (max 1,024 characters). */
  readonly description: string;
  /** Positional parameters, one per `?` placeholder, in order. */
  readonly params: readonly NamedQueryParam[];
  /** The whole file text, header comments included (Athena ignores comments; keeping them documents the query). */
  readonly sql: string;
  /**
   * Report tables (Glue table names from reports/templates.ts) the SQL reads, in template order. A landing
   * zone without one of them would get a query that fails in Athena: see queriesForTables.
   */
  readonly tables: readonly string[];
  /** Absolute path of the .sql file. */
  readonly file: string;
}

export class NamedQueryError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${path.basename(file)}: ${message}`);
    this.name = "NamedQueryError";
  }
}

/** Athena's limits for named queries (CreateNamedQuery): name 1..128 characters, description ≤ 1,024. */
const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;
const MAX_DESCRIPTION = 1024;
// A param line separates name and meaning with an em dash, an en dash, " - " or ":" — authors type all of these.
const PARAM_LINE = /^([A-Za-z][A-Za-z0-9_]*)\s*(?:—|–|-|:)\s*(.+)$/;
const HEADER_LINE = /^--\s*(name|description|param)\s*:\s*(.*)$/;

/**
 * The repository's `queries/` folder. Compiled copies of this module live elsewhere (`dist/queries/`,
 * `.cache/<x>/queries/`) where no .sql file is copied, so look beside this file first, then walk up to the
 * nearest folder with a package.json and a `queries/` folder holding .sql files.
 */
export function defaultQueriesDir(): string {
  const hasSql = (dir: string): boolean =>
    fs.existsSync(dir) && fs.statSync(dir).isDirectory() && fs.readdirSync(dir).some((f) => f.endsWith(".sql"));
  if (hasSql(__dirname)) return __dirname;
  for (let dir = path.dirname(__dirname); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "queries");
    if (fs.existsSync(path.join(dir, "package.json")) && hasSql(candidate)) return candidate;
    if (path.dirname(dir) === dir) return __dirname;
  }
}

/** The tables a query may read: the report tables (Glue table names from reports/templates.ts). */
function reportTableNames(): string[] {
  return allTemplateSpecs().map((spec) => spec.tableName);
}

/**
 * Loads and validates every `*.sql` file of `dir`, sorted by file name. Throws NamedQueryError on the first bad
 * file. `tableNames`: the tables the queries of this folder read (default: the report tables).
 */
export function loadNamedQueries(dir: string = defaultQueriesDir(), tableNames: readonly string[] = reportTableNames()): NamedQuery[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new Error(`queries folder not found: ${dir}`);
  }
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  // An empty catalog would deploy no named queries without a word: a wrong folder must fail loudly.
  if (files.length === 0) throw new Error(`no .sql files in queries folder ${dir}`);
  const queries: NamedQuery[] = [];
  const byName = new Map<string, string>();
  for (const f of files) {
    const file = path.resolve(dir, f);
    const query = parseNamedQuery(fs.readFileSync(file, "utf8"), file, tableNames);
    const previous = byName.get(query.name);
    if (previous !== undefined) {
      throw new NamedQueryError(file, `duplicate query name "${query.name}" (also in ${path.basename(previous)})`);
    }
    byName.set(query.name, file);
    queries.push(query);
  }
  return queries;
}

/** The queries over the trail-log table: `<queries>/trail/*.sql`, reading `cloudtrail_logs`. */
export function loadTrailQueries(queriesDir: string = defaultQueriesDir()): NamedQuery[] {
  return loadNamedQueries(path.join(queriesDir, "trail"), [TRAIL_TABLE_NAME]);
}

/** Parses one query file's text; `file` only names the file in errors and in the result. */
export function parseNamedQuery(text: string, file: string, tableNames: readonly string[] = reportTableNames()): NamedQuery {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let name: string | undefined;
  let description: string | undefined;
  const params: NamedQueryParam[] = [];
  // The header is the leading block of comment/blank lines; metadata keys after the SQL starts are ignored
  // on purpose, so a comment inside the query can never change the query's contract.
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "") continue;
    if (!line.startsWith("--")) break;
    const m = HEADER_LINE.exec(line);
    if (!m) continue;
    const key = m[1];
    const value = m[2].trim();
    const where = `line ${index + 1}`;
    if (key === "name") {
      if (name !== undefined) throw new NamedQueryError(file, `${where}: second "-- name:" header`);
      if (!NAME_PATTERN.test(value)) {
        throw new NamedQueryError(
          file,
          `${where}: invalid name "${value}" (letter first, then letters, digits, "_" or "-", at most 128)`,
        );
      }
      name = value;
    } else if (key === "description") {
      if (description !== undefined) throw new NamedQueryError(file, `${where}: second "-- description:" header`);
      if (value === "") throw new NamedQueryError(file, `${where}: empty description`);
      if (value.length > MAX_DESCRIPTION) {
        throw new NamedQueryError(file, `${where}: description longer than ${MAX_DESCRIPTION} characters`);
      }
      description = value;
    } else {
      const p = PARAM_LINE.exec(value);
      if (!p) throw new NamedQueryError(file, `${where}: param must read "-- param: <name> — <meaning>"`);
      if (params.some((q) => q.name === p[1])) {
        throw new NamedQueryError(file, `${where}: duplicate param "${p[1]}"`);
      }
      params.push({ name: p[1], description: p[2].trim() });
    }
  }
  if (name === undefined) throw new NamedQueryError(file, 'missing "-- name:" header');
  if (description === undefined) throw new NamedQueryError(file, 'missing "-- description:" header');
  const body = lines.filter((l) => !l.trim().startsWith("--")).join("\n");
  if (body.trim() === "") throw new NamedQueryError(file, "no SQL after the header");
  const placeholders = countPlaceholders(text);
  if (placeholders !== params.length) {
    throw new NamedQueryError(
      file,
      `${placeholders} "?" placeholder(s) but ${params.length} "-- param:" line(s)` +
        (params.length ? ` (${params.map((p) => p.name).join(", ")})` : ""),
    );
  }
  const code = stripCommentsAndLiterals(text);
  const tables = tableNames.filter((table) => new RegExp(`\\b${table}\\b`, "i").test(code));
  if (tables.length === 0) throw new NamedQueryError(file, "reads no report table (none of the Glue table names appears)");
  return { name, description, params, sql: text, file, tables };
}

/**
 * The queries whose tables all exist, e.g. for a landing zone whose report plans cover only some templates
 * (the Glue tables follow the plans). Athena accepts a named query on a missing table and fails only at run time.
 */
export function queriesForTables(queries: readonly NamedQuery[], tableNames: Iterable<string>): NamedQuery[] {
  const available = new Set(tableNames);
  return queries.filter((q) => q.tables.every((t) => available.has(t)));
}

/** The queries a landing zone gets: those whose tables its report plans create (the others would fail in Athena). */
export function queriesForPlans(queries: readonly NamedQuery[], plans: ReadonlyArray<{ template: ReportTemplate }>): NamedQuery[] {
  return queriesForTables(queries, plans.map((plan) => templateSpec(plan.template).tableName));
}

/**
 * Counts `?` placeholders outside string literals, quoted identifiers and comments — a `?` inside
 * `'cron(0 5 ? * * *)'` is data, not a parameter.
 */
export function countPlaceholders(sql: string): number {
  return (stripCommentsAndLiterals(sql).match(/\?/g) ?? []).length;
}

/**
 * The SQL with comments, string literals and quoted identifiers replaced by a space: what is left is code. With
 * `keepQuotedIdentifiers`, a quoted identifier's name stays (between spaces): the columns a query names.
 */
export function stripCommentsAndLiterals(sql: string, options: { keepQuotedIdentifiers?: boolean } = {}): string {
  let out = "";
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    let end: number;
    if (c === "-" && sql[i + 1] === "-") {
      end = sql.indexOf("\n", i);
      end = end < 0 ? sql.length : end + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      end = sql.indexOf("*/", i + 2);
      end = end < 0 ? sql.length : end + 2;
    } else if (c === "'" || c === '"') {
      // SQL escapes a quote by doubling it, so scanning to the next quote and continuing handles '' too.
      end = sql.indexOf(c, i + 1);
      end = end < 0 ? sql.length : end + 1;
      if (c === '"' && options.keepQuotedIdentifiers) {
        out += ` ${sql.slice(i + 1, end - 1)} `;
        i = end;
        continue;
      }
    } else {
      out += c;
      i++;
      continue;
    }
    out += " ";
    i = end;
  }
  return out;
}

/** Looks a query up by name; the error lists the known names. */
export function findNamedQuery(queries: readonly NamedQuery[], name: string): NamedQuery {
  const q = queries.find((x) => x.name === name);
  if (!q) {
    throw new Error(`unknown query "${name}"; known queries: ${queries.map((x) => x.name).join(", ")}`);
  }
  return q;
}
