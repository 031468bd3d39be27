import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import * as arrow from "apache-arrow";
import type { DuckDBConnection } from "@duckdb/duckdb-wasm/blocking";
import {
  DEFAULT_NORMALIZED_PREFIX,
  DELIVERY_DATE,
  DUCKDB_TYPES,
  deliveryDate,
  normalizedColumns,
  normalizedTableFolder,
  type NormalizedColumn,
} from "../reports/normalized-table";
import { supportedTemplateSpecs, type ReportTemplate } from "../reports/templates";
import type { NamedQuery } from "./catalog";
import { duckDBStartMs, sharedDuckDB } from "./duckdb";
import { findReportFiles, outcomeWarnings } from "./normalize-folder";
import { Utf8Column } from "./utf8-column";
import { BackgroundParseError, normalizeInBackground } from "./normalize-in-background";

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
 * removed on close) and opens the result: the local path and the Lambda share one code path. Normalising runs
 * in a worker thread while the main thread starts the engine and loads each file as soon as it is written.
 */
export async function openLocalReports(folder: string): Promise<LocalReports> {
  const root = requireFolder(folder);
  const warnings: string[] = [];
  const found = findReportFiles(root, warnings);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-normalized-"));
  const normalizing = normalizeInBackground({ root, outDir: scratch, normalizedPrefix: DEFAULT_NORMALIZED_PREFIX, files: found });
  const cleanup = () => fs.rmSync(scratch, { recursive: true, force: true });
  try {
    return await openWith(root, warnings, cleanup, async (loader) => {
      for await (const file of normalizing) {
        warnings.push(...outcomeWarnings(file.key, file.outcome));
        if (file.outcome.kind !== "normalized") continue;
        const written = path.join(scratch, ...file.normalizedKey.split("/"));
        await loader.load(file.parsed.tableName, written, file.normalizedKey, deliveryDate(file.parsed));
      }
      if (loader.files.length === 0) {
        throw new LocalReportsError(
          `no report CSV files under ${folder} (expected <prefix>/Backup/<scope>/<region>/YYYY/MM/DD/<plan>/<template>_<plan>_..._<n>.csv, ` +
            `as written by "aws s3 sync s3://<bucket> ${folder}")` +
            (warnings.length ? `; ${warnings.join("; ")}` : ""),
        );
      }
    });
  } catch (err) {
    // Also when the engine failed to start, before openWith's own clean-up could run (rmSync twice is harmless).
    cleanup();
    if (err instanceof BackgroundParseError) throw new LocalReportsError(err.message);
    throw err;
  } finally {
    await normalizing.close();
  }
}

/**
 * Opens a folder of normalised copies as the Lambda wrote them (`<prefix>/<table>/delivery_date=…/*.json.gz`,
 * e.g. `aws s3 sync s3://<bucket>/normalized <folder>/normalized`).
 */
export async function openNormalizedReports(folder: string, normalizedPrefix = DEFAULT_NORMALIZED_PREFIX): Promise<LocalReports> {
  const root = requireFolder(folder);
  return openWith(root, [], () => undefined, async (loader) => {
    for (const spec of supportedTemplateSpecs()) {
      const tableFolder = normalizedTableFolder(normalizedPrefix, spec.tableName);
      const absolute = path.join(root, ...tableFolder.split("/"));
      if (!fs.existsSync(absolute)) continue;
      for (const day of fs.readdirSync(absolute).sort()) {
        const m = /^delivery_date=(\d{4}-\d{2}-\d{2})$/.exec(day);
        if (m === null) continue;
        for (const name of fs.readdirSync(path.join(absolute, day)).sort()) {
          if (name.endsWith(".json.gz")) await loader.load(spec.tableName, path.join(absolute, day, name), `${tableFolder}/${day}/${name}`, m[1]);
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
  cleanup: () => void,
  fill: (loader: TableLoader) => Promise<void>,
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
    loader = new TableLoader(conn, schema);
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

/** The schema's tables, one per template, and the files loaded into them (in batches, by column name). */
class TableLoader {
  readonly files: LoadedReportFile[] = [];
  private readonly batches = new Map<string, ColumnBatch>();

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly schema: string,
  ) {
    conn.query(`CREATE SCHEMA ${schema}`);
    conn.query(`SET search_path = '${schema}'`);
    for (const spec of supportedTemplateSpecs()) {
      const columns = tableColumns(spec.template);
      conn.query(`CREATE TABLE ${schema}.${spec.tableName} (${columns.map((c) => `${ident(c.name)} ${DUCKDB_TYPES[c.type]}`).join(", ")})`);
      this.batches.set(spec.tableName, new ColumnBatch(columns));
    }
  }

  /** One normalised object (`file` on disk, `normalizedKey` in the bucket) into its table. */
  async load(tableName: string, file: string, normalizedKey: string, deliveryDate: string): Promise<void> {
    const batch = this.batches.get(tableName)!;
    const loaded = await readJsonLines(batch, file, deliveryDate);
    // In batches of INSERT_BATCH_ROWS: the memory a table's pending rows hold stays bounded.
    if (batch.rows >= INSERT_BATCH_ROWS) batch.insertInto(this.conn, this.schema, tableName);
    this.files.push({ key: loaded.sourceKey ?? normalizedKey, normalizedKey, tableName, deliveryDate, rows: loaded.rows });
  }

  /** Inserts what the batches still hold. */
  finish(): void {
    for (const [tableName, batch] of this.batches) batch.insertInto(this.conn, this.schema, tableName);
  }
}

/** The Glue table's columns plus its partition column, in table order. */
function tableColumns(template: ReportTemplate): NormalizedColumn[] {
  return [...normalizedColumns(template), DELIVERY_DATE];
}

/**
 * Rows of one table, column by column, by NAME: a JSON key the table lacks is ignored and a column a row lacks
 * is NULL, as the OpenX JSON SerDe reads the objects. Appended to DuckDB as Arrow tables (DuckDB-wasm's JSON
 * reader is an extension that is not built in and cannot be fetched offline; SQL VALUES lists are ~30× slower).
 */
class ColumnBatch {
  /** Per column (table order): its builder; the map column's values are kept as Maps. */
  private strings: Array<Utf8Column | null> = [];
  private ints: Array<Array<number | null> | null> = [];
  private maps: Array<Map<string, string | null> | null> = [];
  rows = 0;

  constructor(private readonly columns: readonly NormalizedColumn[]) {
    this.strings = columns.map((c) => (c.type === "string" ? new Utf8Column() : null));
    this.reset();
  }

  private reset(): void {
    this.ints = this.columns.map((c) => (c.type === "int" ? [] : null));
    this.maps = [];
    this.rows = 0;
  }

  add(record: Record<string, unknown>, deliveryDate: string): void {
    this.rows++;
    const columns = this.columns;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i];
      const v = c === DELIVERY_DATE ? deliveryDate : record[c.name];
      const strings = this.strings[i];
      if (strings !== null) {
        strings.push(v === null || v === undefined ? null : typeof v === "string" ? v : JSON.stringify(v));
      } else if (c.type === "int") {
        this.ints[i]!.push(v === null || v === undefined ? null : typeof v === "number" ? v : Number(v));
      } else {
        const entries = v !== null && typeof v === "object" ? Object.entries(v as Record<string, unknown>) : null;
        this.maps.push(entries === null ? null : new Map(entries.map(([k, x]) => [k, x === null || x === undefined ? null : String(x)])));
      }
    }
  }

  /**
   * Appends the rows as one Arrow table. DuckDB appends Arrow columns by position, so the vectors are built in
   * the table's column order, each from its column's name above.
   */
  insertInto(conn: DuckDBConnection, schema: string, tableName: string): void {
    if (this.rows === 0) return;
    const vectors: Record<string, arrow.Vector> = {};
    this.columns.forEach((c, i) => {
      const strings = this.strings[i];
      const ints = this.ints[i];
      if (strings !== null) vectors[c.name] = strings.take();
      else if (ints !== null) vectors[c.name] = arrow.vectorFromArray(ints, new arrow.Int32());
      else vectors[c.name] = arrow.vectorFromArray(this.maps, MAP_TYPE);
    });
    this.reset();
    conn.insertArrowTable(new arrow.Table(vectors), { name: tableName, schema, create: false });
  }
}

/** MAP(VARCHAR, VARCHAR) as Arrow: entries of a non-null key and a nullable value. */
const MAP_TYPE = new arrow.Map_(
  new arrow.Field(
    "entries",
    new arrow.Struct<{ key: arrow.Utf8; value: arrow.Utf8 }>([
      new arrow.Field("key", new arrow.Utf8(), false),
      new arrow.Field("value", new arrow.Utf8(), true),
    ]),
    false,
  ),
);

const INSERT_BATCH_ROWS = 50_000;

/**
 * Reads one gzip JSON Lines object into the batch. Whole, not streamed: one normalised part file is at most a
 * 50 MB report's rows (AWS splits larger reports), and readline's per-line async iteration cost more than the
 * parsing itself.
 */
async function readJsonLines(batch: ColumnBatch, file: string, deliveryDate: string): Promise<{ rows: number; sourceKey: string | null }> {
  const text = zlib.gunzipSync(await fs.promises.readFile(file)).toString("utf8");
  let rows = 0;
  let sourceKey: string | null = null;
  let lineNo = 0;
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
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
