import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type AthenaClient,
  type ColumnInfo,
  type Row as AthenaRow,
} from "@aws-sdk/client-athena";
import type { NamedQuery } from "./catalog";
import type { Cell, QueryResult, Row } from "./local-engine";

/**
 * Runs the named queries in Athena, the same SQL text as the local engine, with the `?` placeholders bound
 * as Athena execution parameters (never pasted into the SQL). Results come back as the local engine's rows:
 * numeric columns as numbers, everything else as text, NULL as null — so one renderer serves both engines.
 *
 * The workgroup's own result configuration is used (the analytics stack enforces it, encrypted), so no
 * output location is passed.
 */

export interface AthenaRunnerOptions {
  readonly client: AthenaClient;
  readonly workgroup: string;
  /** Glue database of the report tables (`analytics.databaseName`). */
  readonly database: string;
  /** Delay between two GetQueryExecution polls; 1 s by default. */
  readonly pollIntervalMs?: number;
  /** Give up on one query after this long; 10 minutes by default. */
  readonly timeoutMs?: number;
}

export interface AthenaQueryRunner {
  query(query: NamedQuery, params: readonly string[]): Promise<QueryResult>;
  /** Ids of the executions started so far, in start order (for the page and for the Athena console). */
  readonly executionIds: readonly string[];
}

export class AthenaQueryError extends Error {
  constructor(
    readonly queryName: string,
    readonly executionId: string | undefined,
    message: string,
  ) {
    super(`${queryName}${executionId ? ` (execution ${executionId})` : ""}: ${message}`);
    this.name = "AthenaQueryError";
  }
}

/** An execution parameter as Athena reads it: a SQL literal, so strings are single-quoted with '' escaping. */
export function executionParameter(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const NUMERIC_TYPES = new Set(["tinyint", "smallint", "integer", "int", "bigint", "double", "float", "real", "decimal"]);

export function athenaQueryRunner(options: AthenaRunnerOptions): AthenaQueryRunner {
  const { client, workgroup, database } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 10 * 60 * 1000;
  const executionIds: string[] = [];

  const query = async (q: NamedQuery, params: readonly string[]): Promise<QueryResult> => {
    if (params.length !== q.params.length) {
      throw new AthenaQueryError(q.name, undefined, `takes ${q.params.length} parameter(s), got ${params.length}`);
    }
    const started = await client.send(
      new StartQueryExecutionCommand({
        QueryString: q.sql,
        WorkGroup: workgroup,
        QueryExecutionContext: { Database: database },
        // Athena refuses an empty list: omit it for a query without placeholders.
        ExecutionParameters: params.length > 0 ? params.map(executionParameter) : undefined,
      }),
    );
    const id = started.QueryExecutionId;
    if (!id) throw new AthenaQueryError(q.name, undefined, "StartQueryExecution returned no QueryExecutionId");
    executionIds.push(id);

    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { QueryExecution: execution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const state = execution?.Status?.State;
      if (state === "SUCCEEDED") break;
      if (state === "FAILED" || state === "CANCELLED") {
        const reason = execution?.Status?.StateChangeReason ?? execution?.Status?.AthenaError?.ErrorMessage ?? "no reason given";
        throw new AthenaQueryError(q.name, id, `${state}: ${reason}`);
      }
      if (Date.now() >= deadline) {
        throw new AthenaQueryError(q.name, id, `still ${state ?? "unknown"} after ${Math.round(timeoutMs / 1000)} s; see the Athena console`);
      }
      await sleep(pollIntervalMs);
    }
    return readResults(client, q.name, id);
  };
  return { query, executionIds };
}

async function readResults(client: AthenaClient, queryName: string, id: string): Promise<QueryResult> {
  let columnInfo: ColumnInfo[] | undefined;
  const rows: Row[] = [];
  let token: string | undefined;
  let first = true;
  do {
    const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 }));
    columnInfo ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo;
    if (columnInfo === undefined) throw new AthenaQueryError(queryName, id, "GetQueryResults returned no column metadata");
    let pageRows: AthenaRow[] = page.ResultSet?.Rows ?? [];
    // For a SELECT, the first row of the first page repeats the column names.
    if (first && pageRows.length > 0 && isHeaderRow(pageRows[0], columnInfo)) pageRows = pageRows.slice(1);
    first = false;
    for (const r of pageRows) rows.push(toRow(r, columnInfo));
    token = page.NextToken;
  } while (token);
  return { columns: (columnInfo ?? []).map((c) => c.Name ?? ""), rows };
}

function isHeaderRow(row: AthenaRow, columns: readonly ColumnInfo[]): boolean {
  const data = row.Data ?? [];
  return data.length === columns.length && data.every((d, i) => d.VarCharValue === columns[i].Name);
}

function toRow(row: AthenaRow, columns: readonly ColumnInfo[]): Row {
  const out: Row = {};
  columns.forEach((column, i) => {
    const raw = row.Data?.[i]?.VarCharValue;
    out[column.Name ?? `_${i}`] = cell(raw, (column.Type ?? "varchar").toLowerCase());
  });
  return out;
}

/** Athena sends every value as text; numbers become numbers (as DuckDB returns them), big integers stay exact text. */
function cell(raw: string | undefined, type: string): Cell {
  if (raw === undefined) return null;
  if (!NUMERIC_TYPES.has(type.replace(/\(.*$/, ""))) return raw;
  const n = Number(raw);
  if (!Number.isFinite(n)) return raw;
  if (/^-?\d+$/.test(raw) && !Number.isSafeInteger(n)) return raw;
  return n;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
