import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import type { NamedQuery } from "./catalog";
import { sharedDuckDB } from "./duckdb";
import { TRAIL_COLUMNS, TRAIL_PARTITION_KEYS, TRAIL_TABLE_NAME, type TrailColumn } from "./trail-table";

/**
 * Runs the trail queries (`queries/trail/*.sql`) on a local copy of the trail bucket
 * (`aws s3 sync s3://<trail bucket>/AWSLogs ./trail/AWSLogs`): every CloudTrail log file (`{"Records": [...]}`,
 * `.json.gz` as delivered, or `.json`) becomes rows of `cloudtrail_logs` with the columns of
 * `queries/trail-table.ts`, read the way Athena's JsonSerDe reads them: keys matched by name case-insensitively,
 * a missing key is NULL, an object in a string column is its JSON text, a struct keeps only its declared
 * fields. The partition columns come from the file's key, as partition projection derives them.
 */

export type TrailRow = Record<string, string | null>;

export interface LocalTrail {
  /** Log files loaded (keys relative to the folder) and records read. */
  readonly files: readonly string[];
  readonly records: number;
  run(query: NamedQuery, params: readonly string[]): Promise<TrailRow[]>;
  close(): void;
}

/** `.../AWSLogs/[<org id>/]<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/<file>.json[.gz]` */
const LOG_KEY = /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+\.json(?:\.gz)?$/;

let schemaCounter = 0;

export async function openLocalTrail(folder: string): Promise<LocalTrail> {
  const root = path.resolve(folder);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new Error(`trail folder not found: ${folder}`);
  const found = walk(root)
    .map((abs) => ({ abs, key: path.relative(root, abs).split(path.sep).join("/") }))
    .filter((f) => LOG_KEY.test(f.key))
    .sort((a, b) => a.key.localeCompare(b.key));
  if (found.length === 0) throw new Error(`no CloudTrail log files (AWSLogs/.../CloudTrail/<region>/<yyyy>/<MM>/<dd>/*.json.gz) under ${folder}`);

  const db = await sharedDuckDB();
  const conn = db.connect();
  const schema = `trail_${process.pid}_${++schemaCounter}`;
  let records = 0;
  try {
    conn.query(`CREATE SCHEMA ${schema}`);
    conn.query(`SET search_path = '${schema}'`);
    const columns = [...TRAIL_COLUMNS, ...TRAIL_PARTITION_KEYS];
    conn.query(`CREATE TABLE ${schema}.${TRAIL_TABLE_NAME} (${columns.map((c) => `"${c.name}" ${duckType(c.type)}`).join(", ")})`);
    for (const f of found) {
      const [, account, region, y, m, d] = LOG_KEY.exec(f.key)!;
      const raw = fs.readFileSync(f.abs);
      const text = f.abs.endsWith(".gz") ? zlib.gunzipSync(raw).toString("utf8") : raw.toString("utf8");
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (err) {
        throw new Error(`${f.key}: not a CloudTrail log file (${(err as Error).message})`);
      }
      const list = (doc as { Records?: unknown }).Records;
      if (!Array.isArray(list)) throw new Error(`${f.key}: not a CloudTrail log file (no Records array)`);
      const partition: Record<string, string> = { account, region, timestamp: `${y}/${m}/${d}` };
      for (const record of list) {
        const values = columns.map((c) =>
          c.name in partition && TRAIL_PARTITION_KEYS.includes(c) ? sqlString(partition[c.name]) : sqlValue(c, field(record, c.name)),
        );
        conn.query(`INSERT INTO ${schema}.${TRAIL_TABLE_NAME} VALUES (${values.join(", ")})`);
        records++;
      }
    }
  } catch (err) {
    conn.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    conn.close();
    throw err;
  }

  let closed = false;
  return {
    files: found.map((f) => f.key),
    records,
    run: async (q, params) => {
      if (closed) throw new Error("local trail is closed");
      if (params.length !== q.params.length) throw new Error(`query ${q.name} takes ${q.params.length} parameter(s), got ${params.length}`);
      const statement = conn.prepare(q.sql);
      try {
        return statement
          .query(...params)
          .toArray()
          .map((r: { toJSON(): Record<string, unknown> }) => {
            const row: TrailRow = {};
            for (const [k, v] of Object.entries(r.toJSON())) row[k] = v === null || v === undefined ? null : String(v);
            return row;
          });
      } finally {
        statement.close();
      }
    },
    close: () => {
      if (closed) return;
      closed = true;
      conn.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      conn.close();
    },
  };
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

/** The value of `name` in a JSON object, matched case-insensitively (JsonSerDe); undefined when absent. */
function field(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return undefined;
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : (obj as Record<string, unknown>)[key];
}

/** Fields of a flat `struct<a:string,b:string>` type; null for `string`. */
function structFields(type: string): string[] | null {
  const m = /^struct<(.*)>$/.exec(type);
  return m ? m[1].split(",").map((f) => f.split(":")[0]) : null;
}

function duckType(type: string): string {
  const fields = structFields(type);
  return fields ? `STRUCT(${fields.map((f) => `"${f}" VARCHAR`).join(", ")})` : "VARCHAR";
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A JSON value as JsonSerDe reads it into a string column: text as is, anything else as JSON text. */
function stringValue(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  return sqlString(typeof v === "string" ? v : JSON.stringify(v));
}

function sqlValue(column: TrailColumn, v: unknown): string {
  const fields = structFields(column.type);
  if (!fields) return stringValue(v);
  if (v === null || typeof v !== "object" || Array.isArray(v)) return "NULL";
  return `{${fields.map((f) => `'${f}': ${stringValue(field(v, f))}`).join(", ")}}`;
}
