import * as zlib from "zlib";
import * as arrow from "apache-arrow";
import { DELIVERY_DATE, tableColumns, type NormalizedColumn } from "../reports/normalized-table";
import type { ReportTemplate } from "../reports/templates";
import { projectRecordBatches } from "./arrow-projection";
import { doubledRowBuffers, Utf8Column } from "./utf8-column";

/**
 * One normalised object (gzip JSON Lines) → its rows as an Arrow IPC stream with the Glue table's columns, in
 * table order, plus the `delivery_date` partition column: the form the local engine appends to DuckDB and keeps
 * in its cache. Values are put by their JSON key's NAME (a key the table lacks is ignored, a column a row lacks is
 * NULL), as the OpenX JSON SerDe reads the objects. No DuckDB here: this runs in the normalising worker thread.
 *
 * The streams of one table have byte-identical schema messages, so several files' record batches concatenate
 * into one stream (`concatStreams`): DuckDB-wasm appends one large stream several times faster than the same
 * rows in many small appends.
 */

/** A normalised object that cannot be read: not gzip, or a line that is not JSON (the message names it). */
export class LocalRowsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LocalRowsError";
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

/**
 * MAP(VARCHAR, VARCHAR) values built straight into Arrow buffers (entry offsets, validity, key and value columns),
 * as Utf8Column does for strings: apache-arrow's own builder went through a JS Map per row.
 */
class StringMapColumn {
  private offsets = new Int32Array(1024);
  private validity = new Uint8Array(128);
  private readonly keys = new Utf8Column();
  private readonly values = new Utf8Column();
  private nullCount = 0;
  length = 0;

  push(value: unknown): void {
    const i = this.length;
    if (i + 1 >= this.offsets.length) {
      ({ offsets: this.offsets, validity: this.validity } = doubledRowBuffers(this.offsets, this.validity));
    }
    if (value !== null && typeof value === "object") {
      this.validity[i >> 3] |= 1 << (i & 7);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        this.keys.push(k);
        this.values.push(v === null || v === undefined ? null : String(v));
      }
    } else this.nullCount++;
    this.length = i + 1;
    this.offsets[i + 1] = this.keys.length;
  }

  view(): arrow.Data<typeof MAP_TYPE> {
    const entries = arrow.makeData({
      type: MAP_TYPE.children[0].type,
      length: this.keys.length,
      nullCount: 0,
      children: [this.keys.view(), this.values.view()],
    });
    return arrow.makeData({
      type: MAP_TYPE,
      length: this.length,
      nullCount: this.nullCount,
      nullBitmap: this.validity.subarray(0, (this.length + 7) >> 3),
      valueOffsets: this.offsets.subarray(0, this.length + 1),
      child: entries,
    });
  }

  clear(): void {
    this.validity.fill(0, 0, (this.length + 7) >> 3);
    this.keys.clear();
    this.values.clear();
    this.nullCount = 0;
    this.length = 0;
  }
}

/**
 * Rows of one table, column by column, each value put into its column by the JSON key's name. One per template
 * and thread, reused from file to file: `ipc()` serialises the rows (copying them) and empties the builders.
 */
class ColumnBatch {
  private readonly strings: Array<Utf8Column | null>;
  private readonly ints: Array<Array<number | null> | null>;
  private readonly maps: Array<StringMapColumn | null>;
  rows = 0;

  constructor(private readonly columns: readonly NormalizedColumn[]) {
    this.strings = columns.map((c) => (c.type === "string" ? new Utf8Column() : null));
    this.ints = columns.map((c) => (c.type === "int" ? [] : null));
    this.maps = columns.map((c) => (c.type === "map<string,string>" ? new StringMapColumn() : null));
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
        this.maps[i]!.push(v);
      }
    }
  }

  /** The rows as one Arrow stream, its columns in the table's order (DuckDB appends Arrow by position); then empty. */
  ipc(): Uint8Array {
    const children: Record<string, arrow.Vector> = {};
    this.columns.forEach((c, i) => {
      const strings = this.strings[i];
      const ints = this.ints[i];
      const map = this.maps[i];
      if (strings !== null) children[c.name] = arrow.makeVector(strings.view());
      else if (ints !== null) children[c.name] = arrow.vectorFromArray(ints, new arrow.Int32());
      else children[c.name] = arrow.makeVector(map!.view());
    });
    const stream = arrow.tableToIPC(new arrow.Table(children), "stream");
    for (const s of this.strings) s?.clear();
    for (const m of this.maps) m?.clear();
    this.ints.forEach((ints) => ints?.splice(0));
    this.rows = 0;
    return stream;
  }
}

const batches = new Map<ReportTemplate, ColumnBatch>();

/** This thread's builder for a template's rows. */
function batchFor(template: ReportTemplate): ColumnBatch {
  let batch = batches.get(template);
  if (batch === undefined) {
    batch = new ColumnBatch(tableColumns(template));
    batches.set(template, batch);
  }
  return batch;
}

export interface ArrowRows {
  /** The rows as one Arrow IPC stream (schema, record batches, end marker). */
  readonly ipc: Uint8Array;
  readonly rows: number;
  /** `source_key` of the first row (the raw key the copy was normalised from), null without rows. */
  readonly sourceKey: string | null;
}

/**
 * A normalised object's bytes (gzip JSON Lines) → its rows as an Arrow stream. `label` names the object in a
 * `LocalRowsError` (not gzip, a line that is not JSON). Whole, not streamed: one normalised part file holds at most
 * a 50 MB report's rows (AWS splits larger reports), and per-line async iteration cost more than the parsing.
 */
export function jsonLinesToArrow(template: ReportTemplate, gzipped: Uint8Array, deliveryDate: string, label: string): ArrowRows {
  let text: string;
  try {
    text = zlib.gunzipSync(gzipped).toString("utf8");
  } catch (err) {
    throw new LocalRowsError(`${label}: not a gzip object (${err instanceof Error ? err.message : String(err)})`);
  }
  const batch = batchFor(template);
  let sourceKey: string | null = null;
  let lineNo = 0;
  try {
    for (const raw of text.split("\n")) {
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      lineNo++;
      if (line === "") continue;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch (err) {
        throw new LocalRowsError(`${label}: line ${lineNo}: not JSON (${err instanceof Error ? err.message : String(err)})`);
      }
      if (sourceKey === null && typeof record.source_key === "string") sourceKey = record.source_key;
      batch.add(record, deliveryDate);
    }
  } catch (err) {
    batch.ipc(); // empties the builders for the next file
    throw err;
  }
  const rows = batch.rows;
  return { ipc: batch.ipc(), rows, sourceKey };
}

const CONTINUATION = 0xffffffff;
export const END_OF_STREAM = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
const schemaMessages = new Map<string, Uint8Array>();

/**
 * The schema message every stream of `template` starts with (encapsulated: marker, length, flatbuffer); with
 * `columns`, that of its streams reduced to those columns by `projectStream`.
 */
export function schemaMessage(template: ReportTemplate, columns?: readonly string[]): Uint8Array {
  const id = columns === undefined ? template : `${template}:${columns.join(",")}`;
  const known = schemaMessages.get(id);
  if (known !== undefined) return known;
  const full = new ColumnBatch(tableColumns(template)).ipc();
  const message = firstMessage(columns === undefined ? full : arrow.tableToIPC(arrow.tableFromIPC(full).select(columns as string[]), "stream"));
  if (message === null) throw new Error(`Arrow wrote no schema message for ${template}`);
  schemaMessages.set(id, message);
  return message;
}

/**
 * A stream of `template`'s columns reduced to `columns` (names in table order; the stream itself when that is
 * every column): what the engine loads when the queries read only those (queries/column-selection.ts).
 */
export function projectStream(template: ReportTemplate, stream: Uint8Array, columns: readonly string[]): Uint8Array {
  const all = tableColumns(template);
  if (columns.length === all.length && columns.every((c, i) => c === all[i].name)) return stream;
  const batches = recordBatches(template, stream);
  if (typeof batches === "string") throw new Error(batches);
  return Buffer.concat([schemaMessage(template, columns), projectRecordBatches(batches, all, new Set(columns)), END_OF_STREAM]);
}

function firstMessage(stream: Uint8Array): Uint8Array | null {
  if (stream.length < 8) return null;
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  if (view.getUint32(0, true) !== CONTINUATION) return null;
  const end = 8 + view.getInt32(4, true);
  return end > stream.length ? null : stream.subarray(0, end);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/**
 * The record-batch messages of a stream written for `template` (between its schema message and its end marker),
 * or why it is not such a stream (other columns, truncated): what `concatStreams` joins.
 */
export function recordBatches(template: ReportTemplate, stream: Uint8Array, columns?: readonly string[]): Uint8Array | string {
  const schema = schemaMessage(template, columns);
  const first = firstMessage(stream);
  if (first === null || !sameBytes(first, schema)) {
    return `not an Arrow stream of the ${template} table's ${columns === undefined ? "" : "selected "}columns`;
  }
  const tail = stream.subarray(stream.length - END_OF_STREAM.length);
  if (stream.length < schema.length + END_OF_STREAM.length || !sameBytes(tail, END_OF_STREAM)) {
    return "the Arrow stream has no end marker (truncated)";
  }
  return stream.subarray(schema.length, stream.length - END_OF_STREAM.length);
}

/**
 * Joins streams like `concatStreams` into one buffer kept from join to join: the engine copies each joined stream
 * into its own memory at once, and a fresh buffer of a hundred megabytes per append cost more in page faults than
 * the copying itself. The returned bytes are valid until the next join.
 */
export class StreamJoiner {
  private buffer = Buffer.alloc(0);

  join(template: ReportTemplate, batches: readonly Uint8Array[], columns?: readonly string[]): Uint8Array {
    const schema = schemaMessage(template, columns);
    const total = schema.length + batches.reduce((n, b) => n + b.length, 0) + END_OF_STREAM.length;
    if (total > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.max(total, Math.ceil(this.buffer.length * 1.5)));
    let at = 0;
    for (const part of [schema, ...batches, END_OF_STREAM]) {
      this.buffer.set(part, at);
      at += part.length;
    }
    return this.buffer.subarray(0, total);
  }
}

/** One Arrow stream of `template` from the record batches of several (`recordBatches` of each). */
export function concatStreams(template: ReportTemplate, batches: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat([schemaMessage(template), ...batches, END_OF_STREAM]);
}
