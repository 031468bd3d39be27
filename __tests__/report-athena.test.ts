import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type StartQueryExecutionCommandInput,
} from "@aws-sdk/client-athena";
import { mockClient } from "aws-sdk-client-mock";
import type { ReportCommandOptions } from "../cli/commands/report";
import { collectReportFigures, loadReportQueries, REPORT_QUERY_NAMES } from "../dashboard/data";
import { athenaQueryRunner, executionParameter } from "../queries/athena-engine";
import { openLocalReports, type LocalReports, type QueryResult } from "../queries/local-engine";
import { runReport } from "./helpers/run-report";
import { buildTestBucket } from "./queries-fixture-bucket";

// Athena is mocked at the SDK level; the mock answers each StartQueryExecution by running the SAME SQL text with
// the unquoted execution parameters on the local engine, and serves the rows the way GetQueryResults does
// (all values as text, column types in the metadata, a header row first, pages with NextToken). So the Athena
// path is checked end to end against the local one, and the requests against what Athena expects.

const athena = mockClient(AthenaClient);
const queries = loadReportQueries();
const allQueries = Object.values(queries);
let bucket: string;
let local: LocalReports;
let started: StartQueryExecutionCommandInput[];
let results: Map<string, QueryResult>;
let polls: Map<string, number>;
let failQuery: string | undefined;

beforeAll(async () => {
  bucket = buildTestBucket();
  local = await openLocalReports(bucket);
});
afterAll(async () => {
  await local?.close();
  if (bucket) fs.rmSync(bucket, { recursive: true, force: true });
});

/** Athena's execution parameter back to the value: '...' with '' for a quote. */
function unquote(parameter: string): string {
  const m = /^'((?:[^']|'')*)'$/.exec(parameter);
  if (!m) throw new Error(`execution parameter is not a quoted SQL string: ${parameter}`);
  return m[1].replace(/''/g, "'");
}

const PAGE = 3;

beforeEach(() => {
  athena.reset();
  started = [];
  results = new Map();
  polls = new Map();
  failQuery = undefined;
  athena.on(StartQueryExecutionCommand).callsFake(async (input: StartQueryExecutionCommandInput) => {
    started.push(input);
    const id = `qe-${started.length}`;
    const query = allQueries.find((q) => q.sql === input.QueryString);
    if (query === undefined) throw new Error("QueryString is not one of the report queries' text");
    if (query.name !== failQuery) results.set(id, await local.query(query, (input.ExecutionParameters ?? []).map(unquote)));
    return { QueryExecutionId: id };
  });
  athena.on(GetQueryExecutionCommand).callsFake(async ({ QueryExecutionId: id }: { QueryExecutionId: string }) => {
    const n = (polls.get(id) ?? 0) + 1;
    polls.set(id, n);
    if (n === 1) return { QueryExecution: { QueryExecutionId: id, Status: { State: "RUNNING" } } };
    if (!results.has(id)) {
      return { QueryExecution: { QueryExecutionId: id, Status: { State: "FAILED", StateChangeReason: "TABLE_NOT_FOUND: line 12:8: Table 'awsdatacatalog.backup_reports.copy_job_report' does not exist" } } };
    }
    return { QueryExecution: { QueryExecutionId: id, Status: { State: "SUCCEEDED" } } };
  });
  athena.on(GetQueryResultsCommand).callsFake(async ({ QueryExecutionId: id, NextToken }: { QueryExecutionId: string; NextToken?: string }) => {
    const result = results.get(id)!;
    const type = (column: string): string => {
      const values = result.rows.map((r) => r[column]).filter((v) => v !== null);
      if (values.length > 0 && values.every((v) => typeof v === "number")) {
        return values.every((v) => Number.isInteger(v)) ? "bigint" : "double";
      }
      return "varchar";
    };
    const header = { Data: result.columns.map((c) => ({ VarCharValue: c })) };
    const data = result.rows.map((r) => ({ Data: result.columns.map((c) => (r[c] === null ? {} : { VarCharValue: String(r[c]) })) }));
    const all = [header, ...data];
    const start = NextToken ? Number(NextToken) : 0;
    const end = start + PAGE;
    return {
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: result.columns.map((c) => ({ Name: c, Label: c, Type: type(c) })) },
        Rows: all.slice(start, end),
      },
      NextToken: end < all.length ? String(end) : undefined,
    };
  });
});

const run = (options: ReportCommandOptions): ReturnType<typeof runReport> =>
  runReport(options, { athenaClient: new AthenaClient({ region: "eu-west-1" }), pollIntervalMs: 0 });

describe("report through Athena (mocked client)", () => {
  test("each named query runs once, with its file's SQL, the workgroup, the database and quoted execution parameters", async () => {
    const runner = athenaQueryRunner({ client: new AthenaClient({ region: "eu-west-1" }), workgroup: "backup-reports", database: "backup_reports", pollIntervalMs: 0 });
    await collectReportFigures(runner, queries, { period: { from: "2026-03-15", to: "2026-03-16" }, topN: 7 });
    expect(started.map((s) => allQueries.find((q) => q.sql === s.QueryString)?.name).sort()).toEqual([...REPORT_QUERY_NAMES].sort());
    for (const s of started) {
      expect(s.WorkGroup).toBe("backup-reports");
      expect(s.QueryExecutionContext).toEqual({ Database: "backup_reports" });
      expect(s.ResultConfiguration).toBeUndefined();
    }
    const params = (name: string): string[] | undefined =>
      started.find((s) => s.QueryString === queries[name as keyof typeof queries].sql)?.ExecutionParameters;
    expect(params("report_worst_resources")).toEqual(["'2026-03-15'", "'2026-03-16'", "'7'"]);
    expect(params("accounts_without_completed_backup")).toEqual(["'2026-03-15'", "'2026-03-16'"]);
    expect(runner.executionIds).toEqual(started.map((_, i) => `qe-${i + 1}`));
  });

  test("the figures equal the local engine's (paged results, typed numbers, header row dropped)", async () => {
    const runner = athenaQueryRunner({ client: new AthenaClient({ region: "eu-west-1" }), workgroup: "wg", database: "db", pollIntervalMs: 0 });
    const period = { from: null, to: null };
    const viaAthena = await collectReportFigures(runner, queries, { period, topN: 20 });
    const viaLocal = await collectReportFigures(local, queries, { period, topN: 20 });
    expect(viaAthena).toEqual(viaLocal);
    expect(viaAthena.worstResources.length).toBe(10); // more than one page of 3
    expect(polls.size).toBe(REPORT_QUERY_NAMES.length);
    expect([...polls.values()].every((n) => n === 2)).toBe(true);
  });

  test("the command renders the same page as the local run, naming the workgroup, database and executions", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-report-athena-"));
    try {
      const viaAthena = await run({ athena: true, workgroup: "backup-reports", out: path.join(dir, "athena.html") });
      expect(viaAthena.code).toBe(0);
      const localRun = await runReport({ reports: bucket, out: path.join(dir, "local.html") });
      expect(localRun.code).toBe(0);
      const a = fs.readFileSync(path.join(dir, "athena.html"), "utf8");
      const l = fs.readFileSync(path.join(dir, "local.html"), "utf8");
      expect(a).toContain("Source: Athena workgroup backup-reports, database backup_reports (8 query executions).");
      expect(a).toContain("<li><code>qe-8</code></li>");
      // Everything but the source lines, the coverage's file list and the footer's local files line is the same page.
      expect(l).toContain('<p class="origins">Report files read: 0 from the bucket&#39;s normalised copies (what Athena reads), 0 from the local cache, 12 normalised now.</p>');
      expect(a).not.toContain('class="origins"');
      const body = (html: string): string =>
        html
          .replace(/Source: [^<]*/g, "")
          .replace(/<details><summary>The [^<]*(report file|Athena query execution)[\s\S]*?<\/details>/, "")
          .replace(/<p class="origins">[^<]*<\/p>/, "");
      expect(body(a)).toBe(body(l));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--format markdown names the workgroup", async () => {
    const r = await run({ athena: true, workgroup: "wg", database: "audit_db", format: "markdown", from: "2026-03-16" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("### Backup audit report, 2026-03-16 – 2026-03-16");
    expect(r.stdout).toContain("Athena workgroup `wg`, database `audit_db`.");
    expect(started.every((s) => s.QueryExecutionContext?.Database === "audit_db")).toBe(true);
    expect(started.every((s) => s.ExecutionParameters?.[0] === "'2026-03-16'" && s.ExecutionParameters?.[1] === "'9999-12-31'")).toBe(true);
  });

  test("a failed query: exit 1 naming the query, the execution and Athena's reason; nothing written", async () => {
    failQuery = "report_copy_restore_failures_by_day";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-report-athena-"));
    try {
      const r = await run({ athena: true, workgroup: "wg", out: path.join(dir, "report.html") });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^backup-audit report: Athena workgroup wg: report_copy_restore_failures_by_day \(execution qe-\d\): FAILED: TABLE_NOT_FOUND: line 12:8: Table 'awsdatacatalog\.backup_reports\.copy_job_report' does not exist\n$/,
      );
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("execution parameters are SQL string literals, quotes doubled", () => {
    expect(executionParameter("2026-03-15")).toBe("'2026-03-15'");
    expect(executionParameter("it's")).toBe("'it''s'");
    expect(unquote(executionParameter("a''b'"))).toBe("a''b'");
  });
});
