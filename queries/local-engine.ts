import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { DuckDBConnection } from "@duckdb/duckdb-wasm/blocking";
import { DEFAULT_NORMALIZED_PREFIX, DUCKDB_TYPES, deliveryDate, normalizedTableFolder, tableColumns } from "../reports/normalized-table";
import { supportedTemplateSpecs, type ReportTemplate } from "../reports/templates";
import { LocalRowsError, StreamJoiner, jsonLinesToArrow, recordBatches } from "./arrow-rows";
import type { NamedQuery } from "./catalog";
import { allColumns, uncoveredColumns, type ColumnSelection } from "./column-selection";
import { duckDBStartMs, sharedDuckDB } from "./duckdb";
import { prepareCacheFolder } from "./local-cache";
import { findReportFiles } from "./normalize-folder";
import { BackgroundParseError, normalizeInBackground } from "./normalize-in-background";
import type { FileOrigin } from "./resolve-report-file";
import { lookUpTableSnapshot, type SnapshotHit, type TableSnapshotWriter } from "./table-snapshot";

export type { FileOrigin } from "./resolve-report-file";

/**
 * Runs the Athena named queries on a local copy of the reports bucket (`aws s3 sync s3://<bucket> ./reports`).
 *
 * Each raw report CSV is read from its normalised copy: the bucket's own (`normalized/…`, synced with it) when its
 * recorded source names the raw file's bytes — what Athena reads —, else the local cache's, else the partitioner
 * Lambda's own normaliser runs now (queries/resolve-report-file.ts). The normalised gzip JSON Lines are loaded into
 * one DuckDB table per template with the Glue table's columns and types (reports/normalized-table.ts), plus the
 * `delivery_date` partition taken from the object's folder — so a query sees locally exactly the rows and schema
 * Athena sees. Columns are matched by name at both steps (header text → canonical column; JSON key → column),
 * never by position.
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
  /** Where its rows came from: the bucket's normalised copy, the cache, or the normaliser run now. */
  readonly origin: FileOrigin;
}

/** How many of the folder's report files (skipped ones included) came from each source. */
export interface FileOrigins {
  /** The bucket's normalised copies, synced with the raw files (their recorded source matched). */
  readonly bucketCopies: number;
  /** The local cache (queries/local-cache.ts). */
  readonly cache: number;
  /** Normalised now by the Lambda's normaliser. */
  readonly normalized: number;
  /** Files of tables none of the queries read (`columns`): left alone. */
  readonly notRead: number;
}

export interface LocalReportsOptions {
  /**
   * Cache root (queries/local-cache.ts: one folder per synced folder below it) for what is normalised here and the
   * loaded rows; null or absent: no cache (normalised into a temporary folder, removed on close).
   */
  readonly cacheDir?: string | null;
  /** Read the folder's normalised copies (`normalized/…` with their recorded sources); default true. */
  readonly bucketCopies?: boolean;
  /**
   * The columns to load per table: `columnsReadBy(queries)` for the queries that will run (queries/column-selection.ts);
   * a table absent is not loaded, its files are left alone. Default: every column of every table. A query that reads
   * a column not loaded is refused.
   */
  readonly columns?: ColumnSelection;
}

export interface LocalReports {
  readonly folder: string;
  readonly files: readonly LoadedReportFile[];
  /** Files skipped, header drift, stale or corrupt copies: one line each, naming the file. */
  readonly warnings: readonly string[];
  readonly origins: FileOrigins;
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
 * Opens a bucket copy: each report file's rows from the cache, the bucket's normalised copy or the Lambda's
 * normaliser (queries/resolve-report-file.ts). That work runs in a worker thread while the main thread starts the
 * engine and appends each file's rows as soon as they are ready. With a cache, a run whose inputs are unchanged since
 * the last one with the same columns appends that run's table snapshot instead (queries/table-snapshot.ts).
 */
export async function openLocalReports(folder: string, options: LocalReportsOptions = {}): Promise<LocalReports> {
  const root = requireFolder(folder);
  const warnings: string[] = [];
  const columns = options.columns ?? allColumns();
  const everyFile = findReportFiles(root, warnings);
  const found = everyFile.filter((f) => columns[f.tableName] !== undefined);
  if (found.length === 0 && everyFile.length > 0) {
    throw new LocalReportsError(
      `none of the ${everyFile.length} report file(s) under ${folder} belongs to a table the queries read (${Object.keys(columns).join(", ")})`,
    );
  }
  const cacheDir = options.cacheDir === undefined || options.cacheDir === null ? null : prepareCacheFolder(options.cacheDir, root);
  const bucketCopies = options.bucketCopies ?? true;
  const notRead = everyFile.length - found.length;
  const lookup =
    cacheDir === null || found.length === 0
      ? null
      : lookUpTableSnapshot({ cacheDir, root, normalizedPrefix: DEFAULT_NORMALIZED_PREFIX, bucketCopies, columns, files: found });
  if (lookup?.kind === "hit") {
    const origins = { bucketCopies: 0, cache: found.length, normalized: 0, notRead };
    const { snapshot } = lookup;
    const lines = [...warnings, ...snapshot.warnings, ...withoutRecordLines(snapshot.withoutRecord)];
    return openWith(root, lines, origins, columns, () => undefined, async (loader) => loader.appendSnapshot(snapshot));
  }
  if (lookup?.warning) warnings.push(lookup.warning);
  const snapshot = lookup?.writer ?? null;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-normalized-"));
  const resolving = normalizeInBackground({
    root,
    normalizedPrefix: DEFAULT_NORMALIZED_PREFIX,
    bucketCopies,
    cacheDir,
    scratchDir: scratch,
    files: found,
    columns,
  });
  const cleanup = () => fs.rmSync(scratch, { recursive: true, force: true });
  const origins = { bucketCopies: 0, cache: 0, normalized: 0, notRead };
  let withoutRecord = 0;
  // The lines a cache hit says again (a stale or corrupt copy's line is said once, when it is redone).
  const repeated: string[] = [];
  try {
    const reports = await openWith(root, warnings, origins, columns, cleanup, async (loader) => {
      for await (const file of resolving) {
        if (file.problem !== null) warnings.push(file.problem);
        warnings.push(...file.warnings);
        repeated.push(...file.warnings);
        origins[file.origin === "bucket-copy" ? "bucketCopies" : file.origin]++;
        if (file.copyWithoutRecord) withoutRecord++;
        if (file.ipc === null) continue;
        loader.append(file.parsed.template, file.parsed.tableName, file.ipc, {
          key: file.key,
          normalizedKey: file.normalizedKey,
          tableName: file.parsed.tableName,
          deliveryDate: deliveryDate(file.parsed),
          rows: file.rows,
          origin: file.origin,
        });
      }
      warnings.push(...withoutRecordLines(withoutRecord));
      if (loader.files.length === 0) {
        throw new LocalReportsError(
          `no report CSV files under ${folder} (expected <prefix>/Backup/<scope>/<region>/YYYY/MM/DD/<plan>/<template>_<plan>_..._<n>.csv, ` +
            `as written by "aws s3 sync s3://<bucket> ${folder}")` +
            (warnings.length ? `; ${warnings.join("; ")}` : ""),
        );
      }
    }, snapshot);
    snapshot?.commit(reports.files, repeated, withoutRecord);
    return reports;
  } catch (err) {
    snapshot?.abort();
    // Also when the engine failed to start, before openWith's own clean-up could run (rmSync twice is harmless).
    cleanup();
    if (err instanceof BackgroundParseError) throw new LocalReportsError(err.message);
    throw err;
  } finally {
    await resolving.close();
  }
}

/** The one line about bucket copies without a recorded source, if any. */
function withoutRecordLines(withoutRecord: number): string[] {
  if (withoutRecord === 0) return [];
  return [
    `${withoutRecord} normalised cop${withoutRecord === 1 ? "y has" : "ies have"} no recorded source ` +
      "(written before the partitioner recorded it), so the raw file was normalised here; " +
      "`backup-audit backfill` rewrites those copies once, with one",
  ];
}

/**
 * Opens a folder of normalised copies as the Lambda wrote them (`<prefix>/<table>/delivery_date=…/*.json.gz`,
 * e.g. `aws s3 sync s3://<bucket>/normalized <folder>/normalized`).
 */
export async function openNormalizedReports(folder: string, normalizedPrefix = DEFAULT_NORMALIZED_PREFIX): Promise<LocalReports> {
  const root = requireFolder(folder);
  const origins = { bucketCopies: 0, cache: 0, normalized: 0, notRead: 0 };
  return openWith(root, [], origins, allColumns(), () => undefined, async (loader) => {
    for (const spec of supportedTemplateSpecs()) {
      const tableFolder = normalizedTableFolder(normalizedPrefix, spec.tableName);
      const absolute = path.join(root, ...tableFolder.split("/"));
      if (!fs.existsSync(absolute)) continue;
      for (const day of fs.readdirSync(absolute).sort()) {
        const m = /^delivery_date=(\d{4}-\d{2}-\d{2})$/.exec(day);
        if (m === null) continue;
        for (const name of fs.readdirSync(path.join(absolute, day)).sort()) {
          if (!name.endsWith(".json.gz")) continue;
          const file = path.join(absolute, day, name);
          const normalizedKey = `${tableFolder}${day}/${name}`;
          let rows;
          try {
            rows = jsonLinesToArrow(spec.template, fs.readFileSync(file), m[1], file);
          } catch (err) {
            if (err instanceof LocalRowsError) throw new LocalReportsError(err.message);
            throw err;
          }
          origins.bucketCopies++;
          loader.append(spec.template, spec.tableName, rows.ipc, {
            key: rows.sourceKey ?? normalizedKey,
            normalizedKey,
            tableName: spec.tableName,
            deliveryDate: m[1],
            rows: rows.rows,
            origin: "bucket-copy",
          });
        }
      }
    }
    if (loader.files.length === 0) throw new LocalReportsError(`no normalised report files under ${folder}/${normalizedPrefix}/`);
  });
}

/**
 * One table per template in a schema of its own, filled by `fill` through the loader; on any failure the schema
 * is dropped and `cleanup` runs, on success `cleanup` runs at close.
 */
async function openWith(
  displayFolder: string,
  warnings: readonly string[],
  origins: FileOrigins,
  columns: ColumnSelection,
  cleanup: () => void,
  fill: (loader: TableLoader) => Promise<void>,
  snapshot: TableSnapshotWriter | null = null,
): Promise<LocalReports> {
  const alreadyStarted = duckDBStartMs() !== undefined;
  const db = await sharedDuckDB();
  const engineStartMs = alreadyStarted ? 0 : (duckDBStartMs() ?? 0);
  const t0 = performance.now();
  const conn = db.connect();
  // One schema per opened folder: the instance is shared, and two folders must not see each other's rows.
  const schema = `local_reports_${++schemaCounter}`;
  let loader: TableLoader;
  try {
    loader = new TableLoader(conn, schema, columns, snapshot);
    await fill(loader);
    loader.finish();
  } catch (err) {
    dropSchema(conn, schema);
    conn.close();
    cleanup();
    throw err;
  }
  const files = [...loader.files].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
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
    const missing = uncoveredColumns(columns, q);
    if (missing.length > 0) {
      const named = missing.length > 4 ? `${missing.slice(0, 4).join(", ")} and ${missing.length - 4} more` : missing.join(", ");
      throw new Error(
        `query ${q.name} reads ${missing.length} column(s) these reports were not loaded with: ${named} ` +
          "(open them with the columnsReadBy of every query to run)",
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
    origins,
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

/**
 * The schema's tables, one per template, and the files appended to them. Each file comes as an Arrow stream of
 * its table's columns (queries/arrow-rows.ts); a table's streams are joined and appended at once when they hold
 * INSERT_BATCH_ROWS rows, when the files move on to another table, and at the end: DuckDB-wasm appends one large
 * stream several times faster than the same rows in many small appends, and the rows waiting stay bounded.
 */
class TableLoader {
  readonly files: LoadedReportFile[] = [];
  private readonly pending = new Map<string, { template: ReportTemplate; batches: Uint8Array[]; rows: number }>();
  /** The table the last file went to. */
  private current: string | null = null;
  private readonly joiner = new StreamJoiner();

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly schema: string,
    private readonly columns: ColumnSelection,
    /** Where the appended rows are also written, to be appended at once by the next run with the same inputs. */
    private readonly snapshot: TableSnapshotWriter | null,
  ) {
    conn.query(`CREATE SCHEMA ${schema}`);
    conn.query(`SET search_path = '${schema}'`);
    for (const spec of supportedTemplateSpecs()) {
      const selected = columns[spec.tableName];
      if (selected === undefined) continue;
      const table = tableColumns(spec.template).filter((c) => selected.includes(c.name));
      conn.query(`CREATE TABLE ${schema}.${spec.tableName} (${table.map((c) => `${ident(c.name)} ${DUCKDB_TYPES[c.type]}`).join(", ")})`);
      this.pending.set(spec.tableName, { template: spec.template, batches: [], rows: 0 });
    }
  }

  /** One file's rows (an Arrow stream of its table's selected columns) into its table. */
  append(template: ReportTemplate, tableName: string, ipc: Uint8Array, file: LoadedReportFile): void {
    // A bucket copy lists one template's files together (each has its own prefix): when the next file belongs to
    // another table, the previous table's rows are appended, so that one table's rows wait at a time.
    if (this.current !== null && this.current !== tableName && this.pending.get(this.current)!.rows >= SWITCH_INSERT_ROWS) {
      this.insert(this.current);
    }
    this.current = tableName;
    const pending = this.pending.get(tableName)!;
    const batches = recordBatches(template, ipc, this.columns[tableName]);
    if (typeof batches === "string") throw new Error(`${file.key}: ${batches}`);
    pending.batches.push(batches);
    pending.rows += file.rows;
    if (pending.rows >= INSERT_BATCH_ROWS) this.insert(tableName);
    this.files.push(file);
  }

  /** A table snapshot's rows (queries/table-snapshot.ts): each table's stream at once. */
  appendSnapshot(snapshot: SnapshotHit): void {
    for (const table of snapshot.tables) {
      this.conn.insertArrowFromIPCStream(table.stream, { name: table.tableName, schema: this.schema, create: false });
    }
    this.files.push(...snapshot.files);
  }

  /** Appends what is still waiting. */
  finish(): void {
    for (const tableName of this.pending.keys()) this.insert(tableName);
  }

  private insert(tableName: string): void {
    const pending = this.pending.get(tableName)!;
    if (pending.batches.length === 0) return;
    this.snapshot?.add(tableName, pending.template, pending.batches);
    const stream = this.joiner.join(pending.template, pending.batches, this.columns[tableName]);
    pending.batches = [];
    pending.rows = 0;
    this.conn.insertArrowFromIPCStream(stream, { name: tableName, schema: this.schema, create: false });
  }
}

/** Rows a table's waiting streams may hold before they are appended (two DuckDB row groups). */
const INSERT_BATCH_ROWS = 245_760;
/** Rows worth an append of their own when the files move on to another table (fewer wait for the end). */
const SWITCH_INSERT_ROWS = 65_536;

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
