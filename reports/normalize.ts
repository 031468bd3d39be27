import { createHash, type Hash } from "node:crypto";
import { once } from "node:events";
import { Transform, type Readable, type TransformCallback, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip, type Gzip } from "node:zlib";
import { StringDecoder } from "node:string_decoder";
import { CsvRecordSplitter, CsvSyntaxError } from "./csv-records";
import { JsonLinesBuffer, type JsonRowLayout } from "./json-lines-buffer";
import type { ParsedReportKey } from "./report-key";
import { columnForHeader, headerKey, templateSpec, type ReportColumn } from "./templates";

/**
 * The normaliser: one raw report CSV (a byte stream) → gzip JSON Lines, one object per row with the canonical
 * column names of reports/templates.ts, the lineage columns and `unknown_columns`. Pure streaming: the file is
 * never held whole. The Lambda (S3 → S3), backfill and `backup-audit query` (files) all call this function.
 *
 * CSV per RFC 4180 by reports/csv-records.ts (PapaParse, strict): quoted fields with commas, doubled quotes and
 * line breaks, CRLF or LF, a UTF-8 BOM. Columns are matched by header text; values stay text ("" for an empty
 * field, as in the file), a column the file does not have is absent from the JSON (NULL in Athena and DuckDB).
 * The rows are written as bytes by reports/json-lines-buffer.ts.
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

/** Size and SHA-256 (hex) of a byte stream: the raw report read, or the gzip object written. */
export interface ByteDigest {
  readonly bytes: number;
  readonly sha256: string;
}

export type NormalizeOutcome =
  | {
      readonly kind: "normalized";
      readonly rows: number;
      readonly bytesIn: number;
      readonly header: HeaderReport;
      /** What was read: every byte of the raw report (what a local copy of it can be checked against). */
      readonly source: ByteDigest;
      /** What was written and committed: the gzip JSON Lines object. */
      readonly output: ByteDigest;
    }
  | {
      readonly kind: "skipped";
      readonly reason: NormalizeSkipReason;
      readonly message: string;
      readonly header: HeaderReport | null;
      readonly source: ByteDigest;
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

interface ColumnPlan extends JsonRowLayout {
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
  const constant =
    Object.entries(lineage)
      .map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`)
      .join("") + ',"unknown_columns":{';
  const constantBytes = Buffer.from(constant);
  const first = keys.findIndex((k) => k !== null);
  const prefixed = keys.map((k, i) => (k === null ? null : (i === first ? "{" : ",") + k));
  return {
    keys: prefixed.map((k) => (k === null ? null : Buffer.from(k))),
    openKeys: prefixed.map((k) => (k === null ? null : Buffer.from(k + '"'))),
    unknownNames,
    constant: constantBytes,
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

/** What the first non-blank character says the file is (trimStart drops a UTF-8 BOM with the whitespace). */
function sniff(text: string): "json" | "csv" {
  const first = text.trimStart().charAt(0);
  return first === "{" || first === "[" ? "json" : "csv";
}

/** JSON bytes handed to gzip at a time (64 KiB), and raw bytes decoded and split at a time (48 KiB: docs/ingestion.md). */
const FLUSH_BYTES = 64 * 1024;
const PIECE_BYTES = 48 * 1024;

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
  const decoder = new StringDecoder("utf8");
  const splitter = new CsvRecordSplitter();
  let kind: "json" | "csv" | null = null;
  let head = "";
  let bytesIn = 0;
  let plan: ColumnPlan | null = null;
  let notAReport = false;
  let rows = 0;
  let sink: NormalizedSink | null = null;
  let gzip: Gzip | null = null;
  let output: Promise<void> | null = null;
  const lines = new JsonLinesBuffer();
  const sourceHash = createHash("sha256");
  const outputTap = new DigestTap();

  const flush = async (): Promise<void> => {
    if (!gzip!.write(lines.take())) await once(gzip!, "drain");
  };

  const take = (records: readonly string[][]): void => {
    for (const record of records) {
      if (notAReport) return; // the rest is drained unread; a file without known headers is small in practice
      if (plan === null) {
        plan = planColumns(parsed, record);
        notAReport = plan.keys.every((k) => k === null);
        continue;
      }
      if (sink === null) {
        sink = openSink();
        gzip = createGzip({ level: options.gzipLevel ?? 1 });
        output = pipeline(gzip, outputTap, sink.stream);
        // Observed through `output` at the end; an early failure also surfaces in flush() via "error".
        output.catch(() => undefined);
      }
      rows++;
      lines.addRow(plan, record);
    }
  };

  const feed = (text: string): void => {
    if (kind === null) {
      // Blank text (a BOM counts as blank) decides nothing yet. At most 4 KiB of it is kept, so a huge blank
      // prefix costs no memory; what is dropped beyond that is blank lines only.
      if (text.trim() === "") {
        if (head.length < 4096) head += text;
        return;
      }
      text = head + text;
      head = "";
      kind = sniff(text);
    }
    if (kind === "csv" && !notAReport) take(splitter.write(text));
  };

  try {
    for await (const chunk of source as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      bytesIn += bytes.length;
      sourceHash.update(bytes);
      // At most PIECE_BYTES at a time, however large the source's chunks: the rows in flight stay few.
      for (let at = 0; at < bytes.length; at += PIECE_BYTES) {
        feed(decoder.write(bytes.subarray(at, at + PIECE_BYTES)));
        if (lines.length >= FLUSH_BYTES) await flush();
      }
    }
    feed(decoder.end());
    if (kind === "csv" && !notAReport) take(splitter.end());
    const read: ByteDigest = { bytes: bytesIn, sha256: sourceHash.digest("hex") };
    const skipped = (reason: NormalizeSkipReason, message: string, header: HeaderReport | null): NormalizeOutcome => ({
      kind: "skipped",
      reason,
      message,
      header,
      source: read,
    });
    if (kind === null) return skipped("empty-file", `${parsed.key}: the file is empty`, null);
    if (kind === "json") {
      return skipped("json-content", `${parsed.key}: JSON content in a .csv file (JSON reports are not normalised)`, null);
    }
    const done = plan as ColumnPlan | null;
    if (done === null) return skipped("empty-file", `${parsed.key}: no header row`, null);
    if (notAReport) {
      const shown = done.header.header.slice(0, 5).join(", ");
      return skipped("no-known-columns", `${parsed.key}: no header names a ${parsed.tableName} column (${shown})`, done.header);
    }
    if (sink === null) return skipped("header-only", `${parsed.key}: header row only, no data rows`, done.header);
    if (lines.length > 0) await flush();
    gzip!.end();
    await output;
    await (sink as NormalizedSink).commit();
    return { kind: "normalized", rows, bytesIn, header: done.header, source: read, output: outputTap.digest() };
  } catch (err) {
    const failure = err instanceof CsvSyntaxError ? new ReportParseError(parsed.key, err.line, err.message) : err;
    if (sink !== null) {
      (gzip as Gzip | null)?.destroy();
      await (sink as NormalizedSink).abort(failure);
    }
    throw failure;
  }
}

/** Passes the gzip bytes on to the sink unchanged, counting and hashing them (the copy's recorded digest). */
class DigestTap extends Transform {
  private readonly hash: Hash = createHash("sha256");
  private bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }

  digest(): ByteDigest {
    return { bytes: this.bytes, sha256: this.hash.digest("hex") };
  }
}
