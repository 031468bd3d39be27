import { createHash } from "node:crypto";
import { once } from "node:events";
import { Transform, type Readable, type TransformCallback, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip, type Gzip } from "node:zlib";
import { CsvError, parse } from "csv-parse";
import type { ParsedReportKey } from "./report-key";
import { columnForHeader, headerKey, templateSpec, type ReportColumn } from "./templates";

/**
 * The normaliser: one raw report CSV (a byte stream) → gzip JSON Lines, one object per row with the canonical
 * column names of reports/templates.ts, the lineage columns and `unknown_columns`. Pure streaming: the file is
 * never held whole. The Lambda (S3 → S3), backfill and `backup-audit query` (files) all call this function.
 *
 * CSV per RFC 4180 by csv-parse: quoted fields with commas, doubled quotes and line breaks, CRLF or LF, a
 * UTF-8 BOM. Columns are matched by header text; values stay text ("" for an empty field, as in the file), a
 * column the file does not have is absent from the JSON (NULL in Athena and DuckDB).
 */

/** Why a file that sits where a report belongs is nevertheless not normalised (nothing is written). */
export type NormalizeSkipReason = "empty-file" | "json-content" | "header-only" | "no-known-columns";

export interface HeaderReport {
  /** The header row as in the file (BOM removed). */
  readonly header: readonly string[];
  /** 16 hex digits of SHA-256 over the header keys in file order. */
  readonly signature: string;
  /** Headers the template's table does not list (kept in `unknown_columns`). */
  readonly unknownHeaders: readonly string[];
  /** Headers naming a canonical column already taken by an earlier header (kept in `unknown_columns`). */
  readonly duplicateHeaders: readonly string[];
  /** Canonical columns the file does not have (NULL in its rows). */
  readonly missingColumns: readonly string[];
  /** Columns filled from the key because the file lacks them (single-account reports). */
  readonly derivedColumns: readonly string[];
  /**
   * True when the header is not fully described by the header table (unknown or duplicate headers): the
   * drift signal. Column order never matters, so a reordered known header is not drift.
   */
  readonly newSignature: boolean;
}

export type NormalizeOutcome =
  | { readonly kind: "normalized"; readonly rows: number; readonly bytesIn: number; readonly header: HeaderReport }
  | {
      readonly kind: "skipped";
      readonly reason: NormalizeSkipReason;
      readonly message: string;
      readonly header: HeaderReport | null;
    };

/**
 * Where the compressed output goes. Opened only when the first data row exists (a skipped file writes
 * nothing); `commit` publishes it atomically, `abort` discards it — never a half-written object.
 */
export interface NormalizedSink {
  readonly stream: Writable;
  /** Called after `stream` has finished: make the object visible (S3 upload completes, file renamed). */
  commit(): Promise<void>;
  /** Called on any failure after open: nothing may remain visible. */
  abort(error: unknown): Promise<void>;
}

export interface NormalizeOptions {
  /** gzip level; 1 (fastest) by default: report text compresses ~10× even so. */
  readonly gzipLevel?: number;
}

/** A CSV that cannot be read as a report: names the file and the line, and says what to do. */
export class ReportParseError extends Error {
  constructor(
    readonly sourceKey: string,
    readonly line: number,
    detail: string,
  ) {
    super(
      `${sourceKey}: line ${line}: ${detail}; the file is not valid CSV (RFC 4180) — check the object, ` +
        "re-run the report plan, or fix the object and re-drive the event",
    );
    this.name = "ReportParseError";
  }
}

interface ColumnPlan {
  /** Per file column: JSON key prefix (`,"name":`) or null for an unknown column. */
  readonly keys: ReadonlyArray<string | null>;
  /** Map keys of the unknown columns, by file column index. */
  readonly unknownNames: ReadonlyArray<string | null>;
  /** Constant JSON text appended to every row (derived columns, lineage). */
  readonly constant: string;
  readonly header: HeaderReport;
}

function planColumns(parsed: ParsedReportKey, header: readonly string[]): ColumnPlan {
  const spec = templateSpec(parsed.template);
  const taken = new Set<string>();
  const keys: Array<string | null> = [];
  const unknownNames: Array<string | null> = [];
  const unknownHeaders: string[] = [];
  const duplicateHeaders: string[] = [];
  const usedUnknown = new Set<string>();
  header.forEach((text) => {
    const column: ReportColumn | undefined = columnForHeader(parsed.template, text);
    if (column !== undefined && !taken.has(column.name)) {
      taken.add(column.name);
      keys.push(`${JSON.stringify(column.name)}:`);
      unknownNames.push(null);
      return;
    }
    if (column !== undefined) duplicateHeaders.push(text);
    else unknownHeaders.push(text);
    let name = text.trim();
    for (let n = 2; usedUnknown.has(name); n++) name = `${text.trim()}#${n}`;
    usedUnknown.add(name);
    keys.push(null);
    unknownNames.push(name);
  });

  const [scope, region, , , , plan] = parsed.partitionValues;
  const derived: Record<string, string> = {};
  // A single-account report has no Account Id column (the blog: the organization's reports add it); its key
  // names the account, so its rows still join and group like the organization's. Likewise a single-Region one.
  if (!taken.has("account_id") && /^\d{12}$/.test(scope) && spec.columns.some((c) => c.name === "account_id")) {
    derived.account_id = scope;
  }
  if (!taken.has("region") && region !== "crossregion" && spec.columns.some((c) => c.name === "region")) {
    derived.region = region;
  }
  const signature = createHash("sha256")
    .update(JSON.stringify(header.map(headerKey)))
    .digest("hex")
    .slice(0, 16);
  const lineage: Record<string, string | number | null> = {
    ...derived,
    source_key: parsed.key,
    delivery_scope: scope,
    delivery_region: region,
    report_plan: plan,
    part_number: parsed.part,
    header_signature: signature,
  };
  const constant = Object.entries(lineage)
    .map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`)
    .join("");
  return {
    keys,
    unknownNames,
    constant,
    header: {
      header,
      signature,
      unknownHeaders,
      duplicateHeaders,
      missingColumns: spec.columns.filter((c) => !taken.has(c.name) && derived[c.name] === undefined).map((c) => c.name),
      derivedColumns: Object.keys(derived),
      newSignature: unknownHeaders.length > 0 || duplicateHeaders.length > 0,
    },
  };
}

/** Needs JSON escaping: quote, backslash, control characters, lone surrogates (rare in report values). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function jsonString(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

function rowJson(plan: ColumnPlan, record: readonly string[]): string {
  let known = "";
  let unknown = "";
  for (let i = 0; i < record.length; i++) {
    const key = plan.keys[i];
    if (key !== null) known += known === "" ? key + jsonString(record[i]) : "," + key + jsonString(record[i]);
    else unknown += `${unknown === "" ? "" : ","}${JSON.stringify(plan.unknownNames[i])}:${jsonString(record[i])}`;
  }
  return `{${known}${plan.constant},"unknown_columns":{${unknown}}}\n`;
}

/** First bytes decide "empty" and "JSON, not CSV" before any CSV parsing. */
function sniff(first: Buffer): "empty" | "json" | "csv" {
  const text = first.toString("utf8").replace(/^\uFEFF/, "").trimStart();
  if (text === "") return "empty";
  return text.startsWith("{") || text.startsWith("[") ? "json" : "csv";
}

/** Passes CSV through; holds the first bytes until they show what the file is, swallows non-CSV. */
class Sniffer extends Transform {
  kind: "empty" | "json" | "csv" | null = null;
  bytes = 0;
  private head = Buffer.alloc(0);

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.kind === null) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.toString("utf8").replace(/^\uFEFF/, "").trim() === "" && this.head.length < 4096) return done();
      this.kind = sniff(this.head);
      const head = this.head;
      this.head = Buffer.alloc(0);
      return done(null, this.kind === "csv" ? head : undefined);
    }
    done(null, this.kind === "csv" ? chunk : undefined);
  }

  override _flush(done: TransformCallback): void {
    if (this.kind === null) {
      this.kind = sniff(this.head);
      return done(null, this.kind === "csv" ? this.head : undefined);
    }
    done();
  }
}

const FLUSH_CHARS = 64 * 1024;

/**
 * Normalises one report. `source` yields the raw bytes; `openSink` is called once, when the first data row
 * is ready. Resolves with the outcome; rejects with ReportParseError for unparseable CSV (after aborting the
 * sink) or with the source's or sink's own error (also after aborting).
 */
export async function normalizeReport(
  source: Readable,
  parsed: ParsedReportKey,
  openSink: () => NormalizedSink,
  options: NormalizeOptions = {},
): Promise<NormalizeOutcome> {
  const sniffer = new Sniffer();
  const parser = parse({ bom: true, skip_empty_lines: true });
  let plan: ColumnPlan | null = null;
  let notAReport = false;
  let rows = 0;
  let sink: NormalizedSink | null = null;
  let gzip: Gzip | null = null;
  let output: Promise<void> | null = null;

  const write = async (text: string): Promise<void> => {
    if (!gzip!.write(text)) await once(gzip!, "drain");
  };

  const consume = async (records: AsyncIterable<string[]>): Promise<void> => {
    let buffered = "";
    for await (const record of records) {
      if (notAReport) continue; // drain the rest; a file without known headers is small in practice
      if (plan === null) {
        plan = planColumns(parsed, record);
        notAReport = plan.keys.every((k) => k === null);
        continue;
      }
      if (sink === null) {
        sink = openSink();
        gzip = createGzip({ level: options.gzipLevel ?? 1 });
        output = pipeline(gzip, sink.stream);
        // Observed through `output` at the end; an early failure also surfaces in write() via "error".
        output.catch(() => undefined);
      }
      rows++;
      buffered += rowJson(plan, record);
      if (buffered.length >= FLUSH_CHARS) {
        await write(buffered);
        buffered = "";
      }
    }
    if (buffered !== "") await write(buffered);
  };

  try {
    await pipeline(source, sniffer, parser, consume);
    if (sniffer.kind === "empty" || sniffer.kind === null) {
      return skipped("empty-file", `${parsed.key}: the file is empty`, null);
    }
    if (sniffer.kind === "json") {
      return skipped("json-content", `${parsed.key}: JSON content in a .csv file (JSON reports are not normalised)`, null);
    }
    const done = plan as ColumnPlan | null;
    if (done === null) return skipped("empty-file", `${parsed.key}: no header row`, null);
    if (notAReport) {
      const shown = done.header.header.slice(0, 5).join(", ");
      return skipped("no-known-columns", `${parsed.key}: no header names a ${parsed.tableName} column (${shown})`, done.header);
    }
    if (sink === null) return skipped("header-only", `${parsed.key}: header row only, no data rows`, done.header);
    gzip!.end();
    await output;
    await (sink as NormalizedSink).commit();
    return { kind: "normalized", rows, bytesIn: sniffer.bytes, header: done.header };
  } catch (err) {
    const failure = asParseError(err, parsed.key, parser.info.lines);
    if (sink !== null) {
      (gzip as Gzip | null)?.destroy();
      await (sink as NormalizedSink).abort(failure);
    }
    throw failure;
  }
}

function skipped(reason: NormalizeSkipReason, message: string, header: HeaderReport | null): NormalizeOutcome {
  return { kind: "skipped", reason, message, header };
}

function asParseError(err: unknown, key: string, lines: number): unknown {
  if (err instanceof CsvError) {
    const line = typeof err.lines === "number" ? err.lines : lines;
    return new ReportParseError(key, line, `${err.code}: ${err.message}`);
  }
  return err;
}
