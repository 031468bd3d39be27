import * as fs from "fs";
import * as path from "path";
import type { DuckDBConnection } from "@duckdb/duckdb-wasm/blocking";
import { parseReportKey } from "../reports/report-key";
import { PARTITION_KEYS, allTemplateSpecs, columnNameForHeader, type ReportTemplate, type ReportTemplateSpec } from "../reports/templates";
import type { NamedQuery } from "./catalog";
import { duckDBStartMs, sharedDuckDB } from "./duckdb";

/**
 * Runs the Athena named queries on a local copy of the reports bucket (`aws s3 sync s3://<bucket> ./reports`).
 *
 * Every report CSV found under the folder becomes rows of one table per template, named like the Glue table,
 * with the Glue column names (all VARCHAR) followed by the partition columns taken from the file's key — so a
 * query sees the same schema locally as in Athena.
 *
 * Column mapping is BY HEADER NAME (the header text normalised with `columnNameForHeader`), not by position:
 * - extra columns, trailing or not, are ignored;
 * - a column missing from a file reads as NULL;
 * - a file whose header order differs from the Glue column order still loads correctly here, but Athena
 *   (OpenCSVSerde maps by position) would shift its data — such files get a warning, since that is the
 *   moment to fix `reports/templates.ts` before the Glue tables read garbage.
 * Empty fields read as '' (as OpenCSVSerde returns them), not NULL.
 */

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

export interface LoadedReportFile {
  /** Path relative to the folder, with `/` separators: the S3 key below the bucket. */
  readonly key: string;
  readonly template: ReportTemplate;
  readonly tableName: string;
  /** Partition values by partition key name. */
  readonly partition: Readonly<Record<string, string>>;
  readonly rows: number;
  /** Header columns that are not in the template's column list (ignored). */
  readonly extraColumns: readonly string[];
  /** Template columns absent from the file (read as NULL). */
  readonly missingColumns: readonly string[];
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
 * Bad input rather than an engine failure: folder missing, no report files in it, wrong parameter count.
 * The message is meant for the user as is.
 */
export class LocalReportsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LocalReportsError";
  }
}

let schemaCounter = 0;

export async function openLocalReports(folder: string): Promise<LocalReports> {
  const root = path.resolve(folder);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new LocalReportsError(`reports folder not found: ${folder}`);
  }
  const warnings: string[] = [];
  const found = findReportFiles(root, warnings);
  const noReports = (): LocalReportsError =>
    new LocalReportsError(
      `no report CSV files under ${folder} (expected <prefix>/Backup/<scope>/<region>/YYYY/MM/DD/<plan>/<template>_<plan>_..._<n>.csv, ` +
        `as written by "aws s3 sync s3://<bucket> ${folder}")` +
        (warnings.length ? `; ${warnings.join("; ")}` : ""),
    );
  if (found.length === 0) throw noReports();

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
    for (const spec of allTemplateSpecs()) {
      const cols = [...spec.columns.map((c) => c.name), ...PARTITION_KEYS.map((k) => k.name)];
      conn.query(`CREATE TABLE ${schema}.${spec.tableName} (${cols.map((c) => `${ident(c)} VARCHAR`).join(", ")})`);
    }
    files.push(...loadFiles(conn, schema, found, warnings));
    if (files.length === 0) throw noReports();
  } catch (err) {
    dropSchema(conn, schema);
    conn.close();
    throw err;
  }
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
    folder: root,
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
    },
  };
}

interface FoundFile {
  readonly absolute: string;
  readonly key: string;
  readonly spec: ReportTemplateSpec;
  readonly partition: Record<string, string>;
}

/** Walks the folder; keeps CSV files whose key parses as a report key (the partitioner's rules), warns about others. */
function findReportFiles(root: string, warnings: string[]): FoundFile[] {
  const out: FoundFile[] = [];
  const specs = allTemplateSpecs();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(absolute);
        continue;
      }
      if (!entry.isFile() || !/\.csv$/i.test(entry.name)) continue;
      const key = path.relative(root, absolute).split(path.sep).join("/");
      const found = fs.statSync(absolute).size === 0 ? "empty file" : classify(key, absolute, specs);
      if (typeof found === "string") warnings.push(`${key}: skipped: ${found}`);
      else out.push(found);
    }
  };
  walk(root);
  return out;
}

/**
 * Template and partition of one key. The local folder does not say which key prefix each report plan uses,
 * so the template comes from the file name (`backup_job_report_...`) or, failing that, from a folder named
 * like a template's default prefix (`BackupJob`); the key prefix is whatever precedes the dated layout.
 * The key is then checked by the same parser as the partitioner Lambda, so a file Athena would never see
 * (no partition) is not counted locally either.
 */
function classify(key: string, absolute: string, specs: readonly ReportTemplateSpec[]): FoundFile | string {
  const segments = key.split("/");
  const fileName = segments[segments.length - 1].toLowerCase();
  const spec =
    specs.find((s) => fileName.startsWith(s.fileNamePrefix)) ??
    specs.find((s) => segments.slice(0, -1).includes(s.defaultKeyPrefix));
  if (spec === undefined) return "neither the file name nor a folder names a report template";
  const layoutDepth = segments.length >= 8 && segments[segments.length - 8] === "Backup" ? 8 : 7;
  if (segments.length < layoutDepth) {
    return "expected <prefix>/Backup/<scope>/<region>/YYYY/MM/DD/<plan>/<file>.csv";
  }
  const keyPrefix = segments.slice(0, segments.length - layoutDepth).join("/");
  const parsed = parseReportKey(key, [{ template: spec.template, keyPrefix, tableName: spec.tableName }], {
    decodePercent: false,
  });
  if (!parsed.ok) return parsed.message;
  const partition: Record<string, string> = {};
  PARTITION_KEYS.forEach((k, i) => {
    partition[k.name] = parsed.partitionValues[i];
  });
  return { absolute, key, spec, partition };
}

interface PlannedFile {
  readonly file: FoundFile;
  readonly header: readonly string[];
  readonly extraColumns: readonly string[];
  readonly missingColumns: readonly string[];
  /** SELECT expressions for the template's columns over the raw columns c0..cN. */
  readonly select: readonly string[];
}

/** Reads a file's header and decides, per template column, which raw column feeds it (by header name); null = skip. */
function planFile(file: FoundFile, warnings: string[]): PlannedFile | null {
  const header = readHeader(file.absolute);
  const names = header.map(columnNameForHeader);
  const known = new Set(file.spec.columns.map((c) => c.name));
  if (!names.some((n) => known.has(n))) {
    // Loading it would add rows of NULLs; a file that shares no header with its template is not a report.
    warnings.push(`${file.key}: skipped: no header matches a ${file.spec.tableName} column`);
    return null;
  }
  const extraColumns = header.filter((_, i) => !known.has(names[i]));
  const missingColumns: string[] = [];
  const select = file.spec.columns.map((column) => {
    const index = names.indexOf(column.name);
    if (index < 0) {
      missingColumns.push(column.name);
      return "CAST(NULL AS VARCHAR)";
    }
    // '' for empty fields, as OpenCSVSerde returns them: DuckDB reads both , , and ,"", as NULL.
    return `COALESCE(s.c${index}, '')`;
  });
  const positional = file.spec.columns.every((c, i) => names[i] === c.name);
  if (!positional) {
    const detail = missingColumns.length ? `; missing: ${missingColumns.join(", ")}` : "";
    warnings.push(
      `${file.key}: header order differs from the ${file.spec.tableName} column list (Athena maps columns by ` +
        `position and would misread this file; loaded here by header name${detail})`,
    );
  }
  return { file, header, extraColumns, missingColumns, select };
}

/**
 * Loads the files and returns them in the given order with their row counts. Files of one template with the
 * same header are read by ONE read_csv over the file list: per-file INSERTs cost ~30 ms each in DuckDB-wasm,
 * a list read a few ms per file. The file name column joins each row to its file's partition values.
 */
function loadFiles(conn: DuckDBConnection, schema: string, found: readonly FoundFile[], warnings: string[]): LoadedReportFile[] {
  const planned = found.map((f) => planFile(f, warnings)).filter((p): p is PlannedFile => p !== null);
  const groups = new Map<string, PlannedFile[]>();
  for (const p of planned) {
    const signature = JSON.stringify([p.file.spec.tableName, p.header]);
    const group = groups.get(signature);
    if (group === undefined) groups.set(signature, [p]);
    else group.push(p);
  }
  const rowsByFile = new Map<string, number>();
  const stage = `${schema}.load_stage`;
  for (const group of groups.values()) {
    const first = group[0];
    const columnTypes = first.header.map((_, i) => `'c${i}': 'VARCHAR'`).join(", ");
    // Explicit columns and no sniffing: every value stays text (account ids keep leading zeros), rows shorter
    // than the header are padded with NULL instead of failing the whole load.
    const source =
      `read_csv([${group.map((p) => literal(p.file.absolute)).join(", ")}], header = false, skip = 1, delim = ',', ` +
      `quote = '"', escape = '"', auto_detect = false, null_padding = true, filename = true, columns = {${columnTypes}})`;
    const partitions = group
      .map((p) => `(${[p.file.absolute, ...PARTITION_KEYS.map((k) => p.file.partition[k.name])].map(literal).join(", ")})`)
      .join(", ");
    const partitionColumns = PARTITION_KEYS.map((k) => ident(k.name));
    conn.query(`CREATE TABLE ${stage} AS SELECT * FROM ${source}`);
    try {
      conn.query(
        `INSERT INTO ${schema}.${first.file.spec.tableName} ` +
          `SELECT ${[...first.select, ...partitionColumns.map((c) => `p.${c}`)].join(", ")} ` +
          `FROM ${stage} s JOIN (VALUES ${partitions}) AS p(file_path, ${partitionColumns.join(", ")}) ` +
          `ON s.filename = p.file_path`,
      );
      const counts = conn.query(`SELECT filename, COUNT(*) AS n FROM ${stage} GROUP BY filename`);
      for (const record of counts.toArray()) {
        const { filename, n } = record.toJSON() as { filename: string; n: bigint | number };
        rowsByFile.set(filename, Number(n));
      }
    } finally {
      conn.query(`DROP TABLE ${stage}`);
    }
  }
  return planned.map((p) => ({
    key: p.file.key,
    template: p.file.spec.template,
    tableName: p.file.spec.tableName,
    partition: p.file.partition,
    rows: rowsByFile.get(p.file.absolute) ?? 0,
    extraColumns: p.extraColumns,
    missingColumns: p.missingColumns,
  }));
}

/** The header row of a report file: its first line, CSV-parsed (report headers are quoted). */
function readHeader(file: string): string[] {
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, n).toString("utf8").replace(/^\uFEFF/, "");
    return parseCsvLine(text.split(/\r?\n/, 1)[0]);
  } finally {
    fs.closeSync(fd);
  }
}

function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields;
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

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
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
