import * as path from "path";
import { defaultQueriesDir, findNamedQuery, loadNamedQueries, type NamedQuery } from "../queries/catalog";
import type { Cell, FileOrigins, QueryResult, Row } from "../queries/local-engine";

/**
 * The dashboard's data: the named queries of `queries/report/` (plus `accounts_without_completed_backup`
 * from `queries/`), run by any engine that binds `?` placeholders in order — the local DuckDB engine or
 * Athena — and read into typed records by column NAME. Nothing here renders; nothing here knows the engine.
 */

/** What runs a named query: `openLocalReports(...)` and `athenaQueryRunner(...)` both are one. */
export interface ReportQueryRunner {
  query(query: NamedQuery, params: readonly string[]): Promise<QueryResult>;
}

/** Delivery days (folder dates = report period ends), inclusive; null = unbounded on that side. */
export interface ReportPeriod {
  readonly from: string | null;
  readonly to: string | null;
}

export interface CoverageRow {
  readonly tableName: string;
  readonly rowCount: number;
  readonly deliveryDays: number;
  readonly firstDay: string;
  readonly lastDay: string;
}

export interface AccountDayJobs {
  readonly accountId: string;
  /** UTC day the jobs were created, YYYY-MM-DD. */
  readonly day: string;
  readonly jobs: number;
  readonly finishedJobs: number;
  readonly completedJobs: number;
  readonly failedJobs: number;
}

export interface RegionTypeFailures {
  readonly region: string;
  readonly resourceType: string;
  readonly failedJobs: number;
}

export interface AccountNonCompliance {
  /** The OU (or root) above the account, from the job reports' path to root; null when unknown. */
  readonly ouId: string | null;
  readonly pathToRoot: string | null;
  readonly accountId: string;
  readonly nonCompliantControls: number;
  readonly nonCompliantResources: number;
}

export type CopyRestoreKind = "copy" | "restore";

export interface CopyRestoreDay {
  readonly day: string;
  readonly kind: CopyRestoreKind;
  readonly failedJobs: number;
}

export interface CopyRestoreFailure {
  readonly kind: CopyRestoreKind;
  readonly accountId: string;
  readonly region: string;
  readonly jobId: string;
  readonly status: string;
  readonly resourceType: string;
  readonly resourceArn: string;
  readonly creationDate: string;
}

export interface WorstResource {
  readonly rank: number;
  readonly resourceArn: string;
  readonly accountId: string;
  readonly region: string;
  readonly resourceType: string;
  readonly failedJobs: number;
  readonly failedBackupJobs: number;
  readonly failedCopyJobs: number;
  readonly failedRestoreJobs: number;
  readonly lastFailure: string;
  readonly lastMessage: string;
}

export interface AccountWithoutBackup {
  readonly accountId: string;
  readonly backupJobs: number;
}

/** Everything the page shows, engine-independent. */
export interface ReportFigures {
  readonly period: ReportPeriod;
  /** How many rows the worst-resources and recent-failures tables were asked for. */
  readonly topN: number;
  readonly coverage: readonly CoverageRow[];
  readonly jobsByAccountDay: readonly AccountDayJobs[];
  readonly failuresByRegionType: readonly RegionTypeFailures[];
  readonly nonCompliance: readonly AccountNonCompliance[];
  readonly copyRestoreByDay: readonly CopyRestoreDay[];
  readonly recentCopyRestoreFailures: readonly CopyRestoreFailure[];
  readonly worstResources: readonly WorstResource[];
  readonly accountsWithoutCompletedBackup: readonly AccountWithoutBackup[];
}

/** The headline figures, derived from the chart data so that the cards and the charts cannot disagree. */
export interface Headline {
  readonly jobs: number;
  readonly finishedJobs: number;
  readonly completedJobs: number;
  readonly failedJobs: number;
  /** Completed / finished in percent (one decimal), null without finished jobs. */
  readonly successRatePct: number | null;
  readonly nonCompliantControls: number;
  readonly nonCompliantResources: number;
  readonly accountsWithoutCompletedBackup: number;
}

export class ReportDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReportDataError";
  }
}

/** The report queries' names, in the order they run. */
export const REPORT_QUERY_NAMES = [
  "report_coverage",
  "report_backup_jobs_by_account_day",
  "report_backup_failures_by_region_type",
  "report_non_compliance_by_account",
  "report_copy_restore_failures_by_day",
  "report_recent_copy_restore_failures",
  "report_worst_resources",
  "accounts_without_completed_backup",
] as const;

export type ReportQueryName = (typeof REPORT_QUERY_NAMES)[number];

/** `queries/report/` beside the named-query catalog. */
export function reportQueriesDir(): string {
  return path.join(defaultQueriesDir(), "report");
}

/** The queries the report runs, by name; throws naming a missing one. */
export function loadReportQueries(
  queriesDir: string = defaultQueriesDir(),
): Readonly<Record<ReportQueryName, NamedQuery>> {
  const all = [...loadNamedQueries(path.join(queriesDir, "report")), ...loadNamedQueries(queriesDir)];
  const byName = {} as Record<ReportQueryName, NamedQuery>;
  for (const name of REPORT_QUERY_NAMES) byName[name] = findNamedQuery(all, name);
  return byName;
}

/** Unbounded sides become the widest YYYY-MM-DD strings: the queries compare delivery days as text. */
const OPEN_FROM = "0000-01-01";
const OPEN_TO = "9999-12-31";

/** Runs every report query (concurrently: Athena runs them in parallel, the local engine one after another). */
export async function collectReportFigures(
  runner: ReportQueryRunner,
  queries: Readonly<Record<ReportQueryName, NamedQuery>>,
  options: { readonly period: ReportPeriod; readonly topN: number },
): Promise<ReportFigures> {
  const { period, topN } = options;
  const days = [period.from ?? OPEN_FROM, period.to ?? OPEN_TO];
  const run = async (name: ReportQueryName, extra: readonly string[] = []): Promise<Reader> => {
    const query = queries[name];
    return new Reader(name, await runner.query(query, [...days, ...extra]));
  };
  const [coverage, jobs, regionType, nonCompliance, copyRestore, recent, worst, withoutBackup] = await Promise.all([
    run("report_coverage"),
    run("report_backup_jobs_by_account_day"),
    run("report_backup_failures_by_region_type"),
    run("report_non_compliance_by_account"),
    run("report_copy_restore_failures_by_day"),
    run("report_recent_copy_restore_failures", [String(topN)]),
    run("report_worst_resources", [String(topN)]),
    run("accounts_without_completed_backup"),
  ]);
  return {
    period,
    topN,
    coverage: coverage.map((r) => ({
      tableName: r.text("table_name"),
      rowCount: r.count("row_count"),
      deliveryDays: r.count("delivery_days"),
      firstDay: r.text("first_day"),
      lastDay: r.text("last_day"),
    })),
    jobsByAccountDay: jobs.map((r) => ({
      accountId: r.text("account_id"),
      day: r.text("job_day"),
      jobs: r.count("jobs"),
      finishedJobs: r.count("finished_jobs"),
      completedJobs: r.count("completed_jobs"),
      failedJobs: r.count("failed_jobs"),
    })),
    failuresByRegionType: regionType.map((r) => ({
      region: r.text("region"),
      resourceType: r.text("resource_type"),
      failedJobs: r.count("failed_jobs"),
    })),
    nonCompliance: nonCompliance.map((r) => ({
      ouId: r.optionalText("ou_id"),
      pathToRoot: r.optionalText("path_to_root"),
      accountId: r.text("account_id"),
      nonCompliantControls: r.count("non_compliant_controls"),
      nonCompliantResources: r.count("non_compliant_resources"),
    })),
    copyRestoreByDay: copyRestore.map((r) => ({
      day: r.text("job_day"),
      kind: r.kind("job_kind"),
      failedJobs: r.count("failed_jobs"),
    })),
    recentCopyRestoreFailures: recent.map((r) => ({
      kind: r.kind("job_kind"),
      accountId: r.text("account_id"),
      region: r.text("region"),
      jobId: r.text("job_id"),
      status: r.text("job_status"),
      resourceType: r.text("resource_type"),
      resourceArn: r.text("resource_arn"),
      creationDate: r.text("creation_date"),
    })),
    worstResources: worst.map((r) => ({
      rank: r.count("failure_rank"),
      resourceArn: r.text("resource_arn"),
      accountId: r.text("account_id"),
      region: r.text("region"),
      resourceType: r.text("resource_type"),
      failedJobs: r.count("failed_jobs"),
      failedBackupJobs: r.count("failed_backup_jobs"),
      failedCopyJobs: r.count("failed_copy_jobs"),
      failedRestoreJobs: r.count("failed_restore_jobs"),
      lastFailure: r.text("last_failure"),
      lastMessage: r.text("last_message"),
    })),
    accountsWithoutCompletedBackup: withoutBackup.map((r) => ({
      accountId: r.text("account_id"),
      backupJobs: r.count("backup_jobs_in_period"),
    })),
  };
}

export function headline(figures: ReportFigures): Headline {
  const sum = <T>(rows: readonly T[], pick: (row: T) => number): number => rows.reduce((n, row) => n + pick(row), 0);
  const finishedJobs = sum(figures.jobsByAccountDay, (r) => r.finishedJobs);
  const completedJobs = sum(figures.jobsByAccountDay, (r) => r.completedJobs);
  return {
    jobs: sum(figures.jobsByAccountDay, (r) => r.jobs),
    finishedJobs,
    completedJobs,
    failedJobs: sum(figures.jobsByAccountDay, (r) => r.failedJobs),
    successRatePct: percent(completedJobs, finishedJobs),
    nonCompliantControls: sum(figures.nonCompliance, (r) => r.nonCompliantControls),
    nonCompliantResources: sum(figures.nonCompliance, (r) => r.nonCompliantResources),
    accountsWithoutCompletedBackup: figures.accountsWithoutCompletedBackup.length,
  };
}

/** part / whole in percent with one decimal; null when whole is 0. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((1000 * part) / whole) / 10;
}

/** Reads a query's rows by column name, failing with the query and column when the engine returned something else. */
class Reader {
  constructor(
    private readonly queryName: string,
    private readonly result: QueryResult,
  ) {}

  private current: Row | undefined;

  map<T>(read: (reader: Reader) => T): T[] {
    return this.result.rows.map((row) => {
      this.current = row;
      return read(this);
    });
  }

  text(column: string): string {
    const value = this.cell(column);
    return value === null ? "" : String(value);
  }

  optionalText(column: string): string | null {
    const value = this.cell(column);
    return value === null || value === "" ? null : String(value);
  }

  /** A non-negative integer: counts come back as numbers locally and as digit strings from Athena. */
  count(column: string): number {
    const value = this.cell(column);
    const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new ReportDataError(`${this.queryName}: column ${column} is not a count: ${JSON.stringify(value)}`);
    }
    return n;
  }

  kind(column: string): CopyRestoreKind {
    const value = this.cell(column);
    if (value !== "copy" && value !== "restore") {
      throw new ReportDataError(`${this.queryName}: column ${column} must be copy or restore, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  private cell(column: string): Cell {
    if (!this.result.columns.includes(column)) {
      throw new ReportDataError(
        `${this.queryName}: the result has no column ${column} (columns: ${this.result.columns.join(", ")})`,
      );
    }
    const value = this.current?.[column];
    return value === undefined ? null : value;
  }
}

/** One report file read by the local engine. */
export interface ReportFileRef {
  /** Path below the folder, with `/`: the S3 key. */
  readonly key: string;
  readonly tableName: string;
  /** Delivery day of the file (its folder date), YYYY-MM-DD. */
  readonly deliveryDay: string;
  readonly rows: number;
}

/** Where the figures came from, for the page's "what this covers" lines. */
export type ReportSource =
  | {
      readonly kind: "local";
      readonly folder: string;
      /** The files of the period (files delivered outside it were loaded but filtered out by the queries). */
      readonly files: readonly ReportFileRef[];
      /** Files under the folder that are not report files (skipped with a warning). */
      readonly skippedFiles: number;
      /** Where the folder's report files were read from (the page's footer says it); absent: not told. */
      readonly origins?: FileOrigins;
    }
  | {
      readonly kind: "athena";
      readonly workgroup: string;
      readonly database: string;
      readonly queryExecutionIds: readonly string[];
    };

export interface ReportDocument {
  readonly figures: ReportFigures;
  readonly source: ReportSource;
  /** ISO timestamp of the build. */
  readonly generatedAt: string;
}
