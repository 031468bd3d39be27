import { Command } from "commander";
import { findNamedQuery, loadNamedQueries, type NamedQuery } from "../../queries/catalog";
import { columnsReadBy } from "../../queries/column-selection";
import { defaultCacheRoot } from "../../queries/local-cache";
import { LocalReportsError, openLocalReports, type Cell, type FileOrigins, type LocalReportsOptions, type QueryResult } from "../../queries/local-engine";
import { processIo, type CommandIo } from "../io";

/**
 * `backup-audit query <name> --reports <folder> [--param v]... [--format table|csv|json]` runs one Athena named
 * query on a local copy of the reports bucket (`aws s3 sync s3://<bucket> <folder>`); `query --list` lists them.
 *
 * Exit codes (as every command, README "Exit codes"): 0 success; 2 wrong invocation or unreadable input (unknown
 * query, wrong parameter count, missing --reports, bad format, folder missing, no report files); 1 the query
 * failed (SQL error).
 */

export const QUERY_FORMATS = ["table", "csv", "json"] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

export interface QueryCommandOptions {
  readonly name?: string;
  readonly list?: boolean;
  readonly reports?: string;
  readonly params?: readonly string[];
  /** One of QUERY_FORMATS (checked: a string because it comes from the command line). */
  readonly format?: string;
  /** Print where the files were read from, engine start-up, load and query times to stderr. */
  readonly verbose?: boolean;
  /**
   * The local engine's cache root (`--cache <dir>`; the CLI defaults to `defaultCacheRoot()`), or false for
   * `--no-cache`: a full run that normalises every file and neither reads nor writes a cache nor the bucket's
   * copies. Absent: no cache, the bucket's copies are read.
   */
  readonly cache?: string | false;
  /** Folder of the .sql files; the repository's queries/ by default. */
  readonly queriesDir?: string;
}

export type { CommandIo };

/** The command's whole behaviour, without commander or process globals: returns the exit code. */
export async function runQueryCommand(options: QueryCommandOptions, io: CommandIo = processIo): Promise<number> {
  const format = options.format ?? "table";
  if (!isQueryFormat(format)) {
    io.stderr(`backup-audit query: unknown --format "${format}"; use one of ${QUERY_FORMATS.join(", ")}\n`);
    return 2;
  }
  let queries: NamedQuery[];
  try {
    queries = loadNamedQueries(options.queriesDir);
  } catch (err) {
    io.stderr(`backup-audit query: ${message(err)}\n`);
    return 1;
  }
  if (options.list) {
    io.stdout(formatList(queries, format));
    return 0;
  }
  if (options.name === undefined) {
    io.stderr(`backup-audit query: name a query or use --list; known queries: ${queries.map((q) => q.name).join(", ")}\n`);
    return 2;
  }
  let query: NamedQuery;
  try {
    query = findNamedQuery(queries, options.name);
  } catch (err) {
    io.stderr(`backup-audit query: ${message(err)}\n`);
    return 2;
  }
  const params = options.params ?? [];
  if (params.length !== query.params.length) {
    io.stderr(`backup-audit query: ${paramCountMessage(query, params.length)}\n`);
    return 2;
  }
  if (options.reports === undefined) {
    io.stderr("backup-audit query: --reports <folder> is required (a local copy of the reports bucket)\n");
    return 2;
  }

  const t0 = performance.now();
  let reports;
  try {
    reports = await openLocalReports(options.reports, localOptions(options.cache, [query]));
  } catch (err) {
    io.stderr(`backup-audit query: ${message(err)}\n`);
    return err instanceof LocalReportsError ? 2 : 1;
  }
  try {
    for (const warning of reports.warnings) io.stderr(`warning: ${warning}\n`);
    const tq = performance.now();
    const result = await reports.query(query, params);
    if (options.verbose) {
      const rows = reports.files.reduce((n, f) => n + f.rows, 0);
      io.stderr(`${originsLine(reports.origins)}\n`);
      io.stderr(
        `engine start ${ms(reports.timings.engineStartMs)}, loaded ${reports.files.length} file(s) / ${rows} row(s) in ` +
          `${ms(reports.timings.loadMs)}, query ${ms(performance.now() - tq)}, total ${ms(performance.now() - t0)}\n`,
      );
    }
    io.stdout(formatResult(result, format));
    return 0;
  } catch (err) {
    io.stderr(`backup-audit query: ${query.name}: ${message(err)}\n`);
    return err instanceof LocalReportsError ? 2 : 1;
  } finally {
    await reports.close();
  }
}

export function register(program: Command): void {
  program
    .command("query")
    .description("run an Athena named query on a local copy of the reports bucket (DuckDB), or list the queries")
    .argument("[name]", "query name (see --list)")
    .option("--list", "list the named queries with their parameters")
    .option("--reports <folder>", "local copy of the reports bucket: aws s3 sync s3://<bucket> <folder>")
    .option("--param <value>", "value of the next ? placeholder, in the order --list shows (repeatable)", collect, [])
    // Checked in runQueryCommand rather than with commander's choices(): commander would exit 1, not 2.
    .option("--format <format>", `output format: ${QUERY_FORMATS.join(", ")}`, "table")
    .option("--verbose", "print where the files were read from, engine start-up, load and query times to stderr")
    .option("--cache <dir>", "cache of what is normalised and loaded locally (one folder per synced folder below it)", defaultCacheRoot())
    .option("--no-cache", "normalise every file now: no cache, and not the bucket's normalised copies")
    .action(
      async (
        name: string | undefined,
        opts: { list?: boolean; reports?: string; param: string[]; format: string; verbose?: boolean; cache: string | false },
      ) => {
        const code = await runQueryCommand({
          name,
          list: opts.list,
          reports: opts.reports,
          params: opts.param,
          format: opts.format,
          verbose: opts.verbose,
          cache: opts.cache,
        });
        // exitCode, not exit(): pending stdout writes to a pipe must flush first.
        if (code !== 0) process.exitCode = code;
      },
    );
}

/** The engine's options for `--cache <dir>` / `--no-cache` (false) / neither (in-process callers). */
/** The local engine's options for `--cache`/`--no-cache`, loading only the columns `queries` read. */
export function localOptions(cache: string | false | undefined, queries: readonly NamedQuery[]): LocalReportsOptions {
  const columns = columnsReadBy(queries);
  if (cache === false) return { cacheDir: null, bucketCopies: false, columns };
  return { cacheDir: cache ?? null, bucketCopies: true, columns };
}

/** The `--verbose` line: how many report files came from each source. */
export function originsLine(origins: FileOrigins): string {
  const total = origins.bucketCopies + origins.cache + origins.normalized;
  return (
    `report files: ${total} — ${origins.bucketCopies} from the bucket's normalised copies, ${origins.cache} from the cache, ` +
    `${origins.normalized} normalised now` +
    (origins.notRead > 0 ? `; ${origins.notRead} of tables the query does not read left alone` : "")
  );
}

function isQueryFormat(value: string): value is QueryFormat {
  return (QUERY_FORMATS as readonly string[]).includes(value);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function paramCountMessage(query: NamedQuery, given: number): string {
  if (query.params.length === 0) return `query ${query.name} takes no parameters, got ${given} --param`;
  const names = query.params.map((p) => `${p.name} (${p.description})`).join("; ");
  return `query ${query.name} takes ${query.params.length} --param value(s) in this order: ${names}; got ${given}`;
}

function formatList(queries: readonly NamedQuery[], format: QueryFormat): string {
  if (format === "json") {
    const list = queries.map((q) => ({ name: q.name, description: q.description, params: q.params }));
    return `${JSON.stringify(list, null, 2)}\n`;
  }
  const result: QueryResult = {
    columns: ["name", "params", "description"],
    rows: queries.map((q) => ({
      name: q.name,
      params: q.params.map((p) => p.name).join(", "),
      description: q.description,
    })),
  };
  return formatResult(result, format);
}

export function formatResult(result: QueryResult, format: QueryFormat): string {
  if (format === "json") return `${JSON.stringify(result.rows, null, 2)}\n`;
  const cells = result.rows.map((row) => result.columns.map((c) => text(row[c])));
  if (format === "csv") {
    return [result.columns, ...cells].map((line) => line.map(csvField).join(",")).join("\n") + "\n";
  }
  const widths = result.columns.map((c, i) => Math.max(c.length, ...cells.map((line) => line[i].length)));
  const render = (line: readonly string[]): string => line.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd();
  const lines = [render(result.columns), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(render)];
  lines.push(`(${result.rows.length} row${result.rows.length === 1 ? "" : "s"})`);
  return `${lines.join("\n")}\n`;
}

function text(value: Cell | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
