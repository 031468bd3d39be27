import * as fs from "fs";
import * as path from "path";
import type { AthenaClient } from "@aws-sdk/client-athena";
import { Command } from "commander";
import {
  collectReportFigures,
  loadReportQueries,
  type ReportDocument,
  type ReportFigures,
  type ReportPeriod,
  type ReportSource,
} from "../../dashboard/data";
import { isDay } from "../../dashboard/days";
import { renderHtml } from "../../dashboard/html";
import { renderMarkdown } from "../../dashboard/markdown";
import { defaultCacheRoot } from "../../queries/local-cache";
import { LocalReportsError, openLocalReports, type LocalReports } from "../../queries/local-engine";
import { localOptions, originsLine } from "./query";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../exit-codes";
import { processIo, type CommandIo } from "../io";

/**
 * `backup-audit report --reports <folder> | --athena --workgroup <wg> [--database <db>]
 *   [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format html|markdown] [--out <file>] [--top N]`
 *
 * Runs the report's named queries (queries/report/*.sql) on a local copy of the reports bucket or in Athena and
 * writes one self-contained HTML page, or a short Markdown summary (to stdout without --out).
 *
 * Exit codes (as every command, README "Exit codes"): 0 written; 2 wrong invocation or unreadable input
 * (missing or conflicting options, bad date, bad --top or format, a missing --out folder, reports folder
 * missing or without report files); 1 the work failed (a query failed, locally or in Athena, or nothing was
 * delivered in the period). The output file is written to a temporary name and renamed: complete or untouched.
 */

export const REPORT_FORMATS = ["html", "markdown"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const DEFAULT_DATABASE = "backup_reports";
export const DEFAULT_TOP = 20;
const MAX_TOP = 1000;

export interface ReportCommandOptions {
  readonly reports?: string;
  readonly athena?: boolean;
  readonly workgroup?: string;
  readonly database?: string;
  readonly region?: string;
  readonly from?: string;
  readonly to?: string;
  /** One of REPORT_FORMATS (checked: it comes from the command line). */
  readonly format?: string;
  readonly out?: string;
  /** Rows of the worst-resources and recent-failures tables (checked: it comes from the command line). */
  readonly top?: string;
  /** Folder of the .sql files; the repository's queries/ by default. */
  readonly queriesDir?: string;
  /** As `query --cache` / `--no-cache` (false); absent: no cache, the bucket's copies are read. */
  readonly cache?: string | false;
  /** Print where the files were read from and the phases' times to stderr. */
  readonly verbose?: boolean;
}

export interface ReportCommandDeps {
  /** The Athena client for --athena (tests pass a mocked one); a default client for --region otherwise. */
  readonly athenaClient?: AthenaClient;
  readonly now?: () => Date;
  /** Athena poll interval (tests: 0). */
  readonly pollIntervalMs?: number;
}

class UsageError extends Error {}

export async function runReportCommand(
  options: ReportCommandOptions,
  io: CommandIo = processIo,
  deps: ReportCommandDeps = {},
): Promise<number> {
  const fail = (code: number, message: string): number => {
    io.stderr(`backup-audit report: ${message}\n`);
    return code;
  };
  let format: ReportFormat;
  let period: ReportPeriod;
  let topN: number;
  try {
    format = parseFormat(options.format ?? "html");
    period = parsePeriod(options.from, options.to);
    topN = parseTop(options.top);
    checkSource(options);
    if (format === "html" && options.out === undefined) {
      throw new UsageError("--out <file> is required for --format html (the page is one file: --out report.html)");
    }
  } catch (err) {
    if (err instanceof UsageError) return fail(EXIT_USAGE, err.message);
    throw err;
  }
  if (options.out !== undefined) {
    const dir = path.dirname(path.resolve(options.out));
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      return fail(EXIT_USAGE, `--out ${options.out}: folder ${dir} does not exist; create it first`);
    }
  }

  let queries;
  try {
    queries = loadReportQueries(options.queriesDir);
  } catch (err) {
    return fail(EXIT_FAILED, message(err));
  }

  let figures: ReportFigures;
  let source: ReportSource;
  if (options.athena) {
    // Required here: a local report does not wait for the AWS SDK to load (50 ms).
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { athenaQueryRunner } = require("../../queries/athena-engine") as typeof import("../../queries/athena-engine");
    const client =
      deps.athenaClient ??
      new (require("@aws-sdk/client-athena") as typeof import("@aws-sdk/client-athena")).AthenaClient(options.region ? { region: options.region } : {});
    /* eslint-enable @typescript-eslint/no-require-imports */
    const runner = athenaQueryRunner({
      client,
      workgroup: options.workgroup!,
      database: options.database ?? DEFAULT_DATABASE,
      pollIntervalMs: deps.pollIntervalMs,
    });
    try {
      figures = await collectReportFigures(runner, queries, { period, topN });
    } catch (err) {
      return fail(EXIT_FAILED, `Athena workgroup ${options.workgroup}: ${message(err)}`);
    }
    source = { kind: "athena", workgroup: options.workgroup!, database: options.database ?? DEFAULT_DATABASE, queryExecutionIds: runner.executionIds };
  } else {
    let reports: LocalReports;
    const t0 = performance.now();
    try {
      reports = await openLocalReports(options.reports!, localOptions(options.cache, Object.values(queries)));
    } catch (err) {
      return fail(err instanceof LocalReportsError ? EXIT_USAGE : EXIT_FAILED, message(err));
    }
    try {
      for (const warning of reports.warnings) io.stderr(`warning: ${warning}\n`);
      const tq = performance.now();
      figures = await collectReportFigures(reports, queries, { period, topN });
      source = localSource(reports, options.reports!, period);
      if (options.verbose) {
        const rows = reports.files.reduce((n, f) => n + f.rows, 0);
        io.stderr(`${originsLine(reports.origins)}\n`);
        io.stderr(
          `engine start ${ms(reports.timings.engineStartMs)}, loaded ${reports.files.length} file(s) / ${rows} row(s) in ` +
            `${ms(reports.timings.loadMs)}, queries ${ms(performance.now() - tq)}, total ${ms(performance.now() - t0)}\n`,
        );
      }
    } catch (err) {
      return fail(EXIT_FAILED, message(err));
    } finally {
      await reports.close();
    }
  }

  if (figures.coverage.every((c) => c.rowCount === 0)) {
    const bounds = `${period.from ?? "the first delivery"} and ${period.to ?? "the last delivery"}`;
    return fail(EXIT_FAILED, `no report row was delivered between ${bounds}: nothing to report (check --from/--to and the source)`);
  }

  const doc: ReportDocument = { figures, source, generatedAt: (deps.now ?? (() => new Date()))().toISOString() };
  const text = format === "html" ? renderHtml(doc).html : renderMarkdown(doc);
  if (options.out === undefined) {
    io.stdout(text);
    return EXIT_OK;
  }
  try {
    writeAtomically(options.out, text);
  } catch (err) {
    return fail(EXIT_FAILED, `--out ${options.out}: ${message(err)}`);
  }
  io.stderr(`wrote ${options.out} (${Math.round(Buffer.byteLength(text) / 1024)} KiB)\n`);
  return EXIT_OK;
}

export function register(program: Command): void {
  program
    .command("report")
    .description("build a self-contained HTML dashboard (or a Markdown summary) from the reports, locally or through Athena")
    .option("--reports <folder>", "local copy of the reports bucket: aws s3 sync s3://<bucket> <folder>")
    .option("--athena", "run the queries in Athena instead (needs --workgroup; AWS credentials from the environment)")
    .option("--workgroup <name>", "Athena workgroup (analytics.workgroup of the landing zone)")
    .option("--database <name>", `Glue database of the report tables (default ${DEFAULT_DATABASE})`)
    .option("--region <region>", "AWS Region of the workgroup (default: the SDK's, e.g. AWS_REGION)")
    .option("--from <day>", "first delivery day, YYYY-MM-DD (default: the first delivered)")
    .option("--to <day>", "last delivery day, YYYY-MM-DD (default: the last delivered)")
    .option("--format <format>", `output: ${REPORT_FORMATS.join(", ")}`, "html")
    .option("--out <file>", "file to write (required for html; markdown goes to stdout without it)")
    .option("--top <n>", `rows of the worst-resources and recent-failures tables (1-${MAX_TOP})`, String(DEFAULT_TOP))
    .option("--cache <dir>", "cache of what is normalised and loaded locally (one folder per synced folder below it)", defaultCacheRoot())
    .option("--no-cache", "normalise every file now: no cache, and not the bucket's normalised copies")
    .option("--verbose", "print where the files were read from and the phases' times to stderr")
    .action(async (opts: ReportCommandOptions) => {
      const code = await runReportCommand(opts);
      // exitCode, not exit(): pending stdout writes to a pipe must flush first.
      if (code !== 0) process.exitCode = code;
    });
}

function parseFormat(value: string): ReportFormat {
  if (!(REPORT_FORMATS as readonly string[]).includes(value)) {
    throw new UsageError(`unknown --format "${value}"; use one of ${REPORT_FORMATS.join(", ")}`);
  }
  return value as ReportFormat;
}

function parsePeriod(from: string | undefined, to: string | undefined): ReportPeriod {
  for (const [flag, value] of [["--from", from], ["--to", to]] as const) {
    if (value !== undefined && !isDay(value)) {
      throw new UsageError(`${flag} ${JSON.stringify(value)} is not a day; write it as YYYY-MM-DD, e.g. 2026-03-01`);
    }
  }
  if (from !== undefined && to !== undefined && from > to) {
    throw new UsageError(`--from ${from} is after --to ${to}; swap them`);
  }
  return { from: from ?? null, to: to ?? null };
}

function parseTop(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TOP;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_TOP) {
    throw new UsageError(`--top ${JSON.stringify(value)} must be a whole number from 1 to ${MAX_TOP}`);
  }
  return n;
}

function checkSource(options: ReportCommandOptions): void {
  if (options.athena && options.reports !== undefined) {
    throw new UsageError("--reports and --athena exclude each other: read a local folder or query Athena");
  }
  if (options.athena) {
    if (options.workgroup === undefined) throw new UsageError("--athena needs --workgroup <name> (analytics.workgroup of the landing zone)");
    return;
  }
  for (const flag of ["workgroup", "database", "region"] as const) {
    if (options[flag] !== undefined) throw new UsageError(`--${flag} only applies with --athena`);
  }
  if (options.reports === undefined) {
    throw new UsageError("name the data: --reports <folder> (a local copy of the reports bucket) or --athena --workgroup <name>");
  }
}

/**
 * The files of the period: all were loaded, the queries keep the period's delivery days. The folder is named
 * as the user wrote it: the page is shared, and an absolute path would tell the reader about the builder's disk.
 */
function localSource(reports: LocalReports, folder: string, period: ReportPeriod): ReportSource {
  const files = reports.files
    .map((f) => ({
      key: f.key,
      tableName: f.tableName,
      deliveryDay: f.deliveryDate,
      rows: f.rows,
    }))
    .filter((f) => (period.from === null || f.deliveryDay >= period.from) && (period.to === null || f.deliveryDay <= period.to));
  return {
    kind: "local",
    folder,
    files,
    skippedFiles: reports.warnings.filter((w) => /: skipped: /.test(w)).length,
    origins: reports.origins,
  };
}

function writeAtomically(file: string, text: string): void {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
