import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as readline from "readline";
import * as zlib from "zlib";
import * as arrow from "apache-arrow";
import type { DuckDBConnection } from "@duckdb/duckdb-wasm/blocking";
import { ReportParseError } from "../reports/normalize";
import {
  DEFAULT_NORMALIZED_PREFIX,
  DELIVERY_DATE,
  DUCKDB_TYPES,
  normalizedColumns,
  normalizedTableFolder,
  type NormalizedColumn,
} from "../reports/normalized-table";
import { supportedTemplateSpecs, type ReportTemplate } from "../reports/templates";
import type { NamedQuery } from "./catalog";
import { duckDBStartMs, sharedDuckDB } from "./duckdb";
import { normalizeFolder } from "./normalize-folder";

/**
 * Runs the Athena named queries on a local copy of the reports bucket (`aws s3 sync s3://<bucket> ./reports`).
 *
 * The raw report CSVs are normalised by the partitioner Lambda's own normaliser (queries/normalize-folder.ts →
 * reports/normalize.ts), and the normalised gzip JSON Lines are loaded into one DuckDB table per template with
 * the Glue table's columns and types (reports/normalized-table.ts), plus the `delivery_date` partition taken
 * from the object's folder — so a query sees locally exactly the rows and schema Athena sees. Columns are
 * matched by name at both steps (header text → canonical column; JSON key → column), never by position.
 */

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

export interface LoadedReportFile {
  /** Raw report key (path below the folder, `/` separators): the S3 key below the bucket. */
  readonly key: string;
  /** Key of its normalised copy (what the Lambda writes, what Athena reads). */
  readonly normalizedKey: string;
  readonly tableName: string;
  /** The `delivery_date` partition (YYYY-MM-DD). */
  readonly deliveryDate: string;
  readonly rows: number;
}

export interface LocalReports {
  readonly folder: string;
  readonly files: readonly LoadedReportFile[];
  /** Files skipped and header drift, one line each, naming the file. */
  readonly warnings: readonly string[];
  /** Engine start-up (0 when the shared instance was already running) and load time, in milliseconds. */
  readonly timings: { readonly engineStartMs: number; readonly loadMs: number };
  /** Rows of a named query; `params` bind its `?` placeholders in order. */
  run(query: NamedQuery, params: readonly string[]): Promise<Row[]>;
  /** Like run, with the result's column names (also when no row comes back). */
  query(query: NamedQuery, params: readonly string[]): Promise<QueryResult>;
  close(): Promise<void>;
}

/**
 * Bad input rather than an engine failure: folder missing, no report files in it, a file that cannot be parsed,
 * wrong parameter count. The message is meant for the user as is.
 */
export class LocalReportsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LocalReportsError";
  }
}

let schemaCounter = 0;

function requireFolder(folder: string): string {
  const root = path.resolve(folder);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new LocalReportsError(`reports folder not found: ${folder}`);
  return root;
}

/**
 * Normalises the raw report CSVs of a bucket copy with the Lambda's normaliser (into a temporary folder,
 * removed on close) and opens the result: the local path and the Lambda share one code path.
 */
export async function openLocalReports(folder: string): Promise<LocalReports> {
  const root = requireFolder(folder);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-normalized-"));
  try {
    let normalized;
    try {
      normalized = await normalizeFolder(root, scratch, DEFAULT_NORMALIZED_PREFIX);
    } catch (err) {
      if (err instanceof ReportParseError) throw new LocalReportsError(err.message);
      throw err;
    }
    const written = normalized.files.filter((f) => f.outcome.kind === "normalized");
    if (written.length === 0) {
      throw new LocalReportsError(
        `no report CSV files under ${folder} (expected <prefix>/Backup/<scope>/<region>/YYYY/MM/DD/<plan>/<template>_<plan>_..._<n>.csv, ` +
          `as written by "aws s3 sync s3://<bucket> ${folder}")` +
          (normalized.warnings.length ? `; ${normalized.warnings.join("; ")}` : ""),
      );
    }
    return await openNormalized(root, scratch, DEFAULT_NORMALIZED_PREFIX, normalized.warnings, () =>
      fs.rmSync(scratch, { recursive: true, force: true }),
    );
  } catch (err) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Opens a folder of normalised copies as the Lambda wrote them (`<prefix>/<table>/delivery_date=…/*.json.gz`,
 * e.g. `aws s3 sync s3://<bucket>/normalized <folder>/normalized`).
 */
export async function openNormalizedReports(folder: string, normalizedPrefix = DEFAULT_NORMALIZED_PREFIX): Promise<LocalReports> {
  const root = requireFolder(folder);
  return openNormalized(root, root, normalizedPrefix, [], () => undefined);
}

async function openNormalized(
  displayFolder: string,
  root: string,
  normalizedPrefix: string,
  warnings: readonly string[],
  cleanup: () => void,
): Promise<LocalReports> {
  const alreadyStarted = duckDBStartMs() !== undefined;
  const db = await sharedDuckDB();
  const engineStartMs = alreadyStarted ? 0 : (duckDBStartMs() ?? 0);
  const t0 = performance.now();
  const conn = db.connect();
  // One schema per opened folder: the instance is shared, and two folders must not see each other's rows.
  const schema = `local_reports_${++schemaCounter}`;
  const files: LoadedReportFile[] = [];
  try {
    conn.query(`CREATE SCHEMA ${schema}`);
    conn.query(`SET search_path = '${schema}'`);
    for (const spec of supportedTemplateSpecs()) {
      const columns = tableColumns(spec.template);
      const table = `${schema}.${spec.tableName}`;
      conn.query(`CREATE TABLE ${table} (${columns.map((c) => `${ident(c.name)} ${DUCKDB_TYPES[c.type]}`).join(", ")})`);
      const folder = path.join(root, ...normalizedTableFolder(normalizedPrefix, spec.tableName).split("/"));
      if (!fs.existsSync(folder)) continue;
      const batch = new ColumnBatch(columns);
      for (const day of fs.readdirSync(folder).sort()) {
        const m = /^delivery_date=(\d{4}-\d{2}-\d{2})$/.exec(day);
        if (m === null) continue;
        for (const name of fs.readdirSync(path.join(folder, day)).sort()) {
          if (!name.endsWith(".json.gz")) continue;
          const file = path.join(folder, day, name);
          const loaded = await readJsonLines(batch, file, m[1]);
          files.push({
            key: loaded.sourceKey ?? path.relative(root, file),
            normalizedKey: path.relative(root, file).split(path.sep).join("/"),
            tableName: spec.tableName,
            deliveryDate: m[1],
            rows: loaded.rows,
          });
        }
      }
      batch.insertInto(conn, schema, table);
    }
    if (files.length === 0) throw new LocalReportsError(`no normalised report files under ${displayFolder}/${normalizedPrefix}/`);
  } catch (err) {
    dropSchema(conn, schema);
    conn.close();
    cleanup();
    throw err;
  }
  files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const loadMs = performance.now() - t0;

  let closed = false;
  const query = async (q: NamedQuery, params: readonly string[]): Promise<QueryResult> => {
    if (closed) throw new Error("local reports are closed");
    if (params.length !== q.params.length) {
      throw new LocalReportsError(
        `query ${q.name} takes ${q.params.length} parameter(s)` +
          (q.params.length ? ` (${q.params.map((p) => p.name).join(", ")})` : "") +
          `, got ${params.length}`,
      );
    }
    const statement = conn.prepare(q.sql);
    try {
      const table = statement.query(...params);
      const columns = table.schema.fields.map((f) => f.name);
      const rows = table.toArray().map((record: { toJSON(): Record<string, unknown> }) => toRow(record.toJSON()));
      return { columns, rows };
    } finally {
      statement.close();
    }
  };
  return {
    folder: displayFolder,
    files,
    warnings,
    timings: { engineStartMs, loadMs },
    query,
    run: async (q, params) => [...(await query(q, params)).rows],
    close: async () => {
      if (closed) return;
      closed = true;
      dropSchema(conn, schema);
      conn.close();
      cleanup();
    },
  };
}

/** The Glue table's columns plus its partition column, in table order. */
function tableColumns(template: ReportTemplate): NormalizedColumn[] {
  return [...normalizedColumns(template), DELIVERY_DATE];
}

/**
 * Rows of one table, column by column, by NAME: a JSON key the table lacks is ignored and a column a row lacks
 * is NULL, as the OpenX JSON SerDe reads the objects. Loaded into DuckDB as one Arrow table (DuckDB-wasm's JSON
 * reader is an extension that is not built in and cannot be fetched offline; SQL VALUES lists are ~30× slower).
 */
class ColumnBatch {
  private readonly values = new Map<string, Array<string | number | null>>();
  private readonly mapKeys: Array<string[] | null> = [];
  private readonly mapValues: Array<Array<string | null> | null> = [];
  rows = 0;

  constructor(private readonly columns: readonly NormalizedColumn[]) {
    for (const c of columns) if (c.type !== "map<string,string>") this.values.set(c.name, []);
  }

  add(record: Record<string, unknown>, deliveryDate: string): void {
    this.rows++;
    for (const c of this.columns) {
      const v = c.name === DELIVERY_DATE.name ? deliveryDate : record[c.name];
      if (c.type === "map<string,string>") {
        const entries = v !== null && typeof v === "object" ? Object.entries(v as Record<string, unknown>) : null;
        this.mapKeys.push(entries === null ? null : entries.map(([k]) => k));
        this.mapValues.push(entries === null ? null : entries.map(([, x]) => (x === null || x === undefined ? null : String(x))));
      } else if (v === null || v === undefined) {
        this.values.get(c.name)!.push(null);
      } else if (c.type === "int") {
        this.values.get(c.name)!.push(typeof v === "number" ? v : Number(v));
      } else {
        this.values.get(c.name)!.push(typeof v === "string" ? v : JSON.stringify(v));
      }
    }
  }

  /** Stages the rows as Arrow and inserts them by column name, building the maps from key and value lists. */
  insertInto(conn: DuckDBConnection, schema: string, table: string): void {
    if (this.rows === 0) return;
    const list = () => new arrow.List(new arrow.Field("item", new arrow.Utf8(), true));
    const vectors: Record<string, arrow.Vector> = {};
    for (const c of this.columns) {
      if (c.type === "map<string,string>") {
        vectors[`${c.name}__keys`] = arrow.vectorFromArray(this.mapKeys, list());
        vectors[`${c.name}__values`] = arrow.vectorFromArray(this.mapValues, list());
      } else {
        vectors[c.name] = arrow.vectorFromArray(this.values.get(c.name)!, c.type === "int" ? new arrow.Int32() : new arrow.Utf8());
      }
    }
    const stage = `load_stage_${++stageCounter}`;
    conn.insertArrowTable(new arrow.Table(vectors), { name: stage, schema, create: true });
    try {
      const select = this.columns.map((c) =>
        c.type === "map<string,string>"
          ? `CASE WHEN ${ident(`${c.name}__keys`)} IS NULL THEN NULL ELSE map(${ident(`${c.name}__keys`)}, ${ident(`${c.name}__values`)}) END`
          : ident(c.name),
      );
      conn.query(
        `INSERT INTO ${table} (${this.columns.map((c) => ident(c.name)).join(", ")}) SELECT ${select.join(", ")} FROM ${schema}.${stage}`,
      );
    } finally {
      conn.query(`DROP TABLE ${schema}.${stage}`);
    }
  }
}

let stageCounter = 0;

/** Reads one gzip JSON Lines object (streaming) into the batch. */
async function readJsonLines(batch: ColumnBatch, file: string, deliveryDate: string): Promise<{ rows: number; sourceKey: string | null }> {
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  let rows = 0;
  let sourceKey: string | null = null;
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line === "") continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch (err) {
      throw new LocalReportsError(`${file}: line ${lineNo}: not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    rows++;
    if (sourceKey === null && typeof record.source_key === "string") sourceKey = record.source_key;
    batch.add(record, deliveryDate);
  }
  return { rows, sourceKey };
}

function dropSchema(conn: DuckDBConnection, schema: string): void {
  try {
    conn.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } catch {
    // Best effort: the instance lives only as long as the process anyway.
  }
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}


/** Arrow values → JSON-friendly cells: BIGINT comes back as bigint, kept exact as a string beyond 2^53. */
function toRow(record: Record<string, unknown>): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === null || value === undefined) row[key] = null;
    else if (typeof value === "bigint") {
      row[key] = value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(-Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    } else if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") row[key] = value;
    else row[key] = String(value);
  }
  return row;
}
