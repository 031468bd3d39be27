import { createHash } from "node:crypto";
import type { ByteDigest, HeaderReport, NormalizeOutcome } from "./normalize";
import { allTemplateSpecs } from "./templates";

/**
 * The recorded source of a normalised copy: what the partitioner normalised from, written beside the copy as a
 * small JSON object so that `aws s3 sync` brings it along (S3 object metadata is not synced to local files).
 * A local copy of the bucket can then check, without AWS, that a copy belongs to the raw file it holds: the raw
 * file's size and SHA-256 must equal the recorded ones, and the copy's bytes its recorded size and SHA-256.
 *
 * Where: `<normalized prefix>/_sources/<table>/delivery_date=<day>/<copy name minus .json.gz>.source.json`, a tree
 * of its own beside the tables' folders (`<normalized prefix>/<table>/`), so that no Glue table location — and no
 * SerDe — ever sees a record. Format: docs/ingestion.md ("Recorded source").
 */

/** The record's `format` value; a reader refuses any other. */
export const NORMALIZED_SOURCE_FORMAT = "backup-audit-insights/normalized-source/1";

/** Folder of the records below the normalised prefix (no template's table is named so). */
export const NORMALIZED_SOURCES_FOLDER = "_sources";

/**
 * Bumped when the normaliser writes other bytes for the same input (a lineage column, the JSON layout); the
 * header table's changes are covered by the fingerprint without it.
 */
const NORMALIZED_OUTPUT_VERSION = 1;

export interface NormalizedSourceRecord {
  readonly format: typeof NORMALIZED_SOURCE_FORMAT;
  /** The raw report: key, and what was read from it. `etag` is S3's (null when normalised from a local file). */
  readonly source: { readonly key: string; readonly bytes: number; readonly sha256: string; readonly etag: string | null };
  /** The normalised copy: key, and what was written. */
  readonly copy: { readonly key: string; readonly bytes: number; readonly sha256: string; readonly rows: number };
  /** The raw header as the normaliser read it (signature, drift). */
  readonly header: HeaderReport;
  /** `normalizerFingerprint()` of the code that wrote the copy (informative: a copy is used whatever it is). */
  readonly normalizer: string;
}

/** Key of a copy's record: `<prefix>/_sources/<table>/delivery_date=…/<name>.source.json`. */
export function normalizedSourceKey(normalizedKey: string, normalizedPrefix: string): string {
  const head = `${normalizedPrefix}/`;
  if (!normalizedKey.startsWith(head) || !normalizedKey.endsWith(".json.gz")) {
    throw new Error(`${normalizedKey} is not a normalised copy under ${head}`);
  }
  const rest = normalizedKey.slice(head.length, -".json.gz".length);
  return `${head}${NORMALIZED_SOURCES_FOLDER}/${rest}.source.json`;
}

/** The record of a normalised outcome (what the Lambda and `backup-audit normalize` write beside the copy). */
export function normalizedSourceRecord(
  outcome: Extract<NormalizeOutcome, { kind: "normalized" }>,
  sourceKey: string,
  normalizedKey: string,
  etag: string | null,
): NormalizedSourceRecord {
  return {
    format: NORMALIZED_SOURCE_FORMAT,
    source: { key: sourceKey, bytes: outcome.source.bytes, sha256: outcome.source.sha256, etag },
    copy: { key: normalizedKey, bytes: outcome.output.bytes, sha256: outcome.output.sha256, rows: outcome.rows },
    header: outcome.header,
    normalizer: normalizerFingerprint(),
  };
}

/** The record as written: pretty JSON, one trailing newline (readable with `cat`). */
export function serializeNormalizedSource(record: NormalizedSourceRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** A record read back, or the reason it is not one (truncated, another format, a field missing or mistyped). */
export function parseNormalizedSource(text: string): NormalizedSourceRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `not JSON (${err instanceof Error ? err.message : String(err)})`;
  }
  if (!isObject(value)) return "not a JSON object";
  if (value.format !== NORMALIZED_SOURCE_FORMAT) return `format is ${JSON.stringify(value.format)}, not ${NORMALIZED_SOURCE_FORMAT}`;
  const { source, copy, header, normalizer } = value;
  if (!isObject(source) || typeof source.key !== "string" || !isDigest(source) || !(source.etag === null || typeof source.etag === "string")) {
    return "source must be {key, bytes, sha256, etag}";
  }
  if (!isObject(copy) || typeof copy.key !== "string" || !isDigest(copy) || !isCount(copy.rows)) {
    return "copy must be {key, bytes, sha256, rows}";
  }
  if (!isHeaderReport(header)) return "header must be the normaliser's header report";
  if (typeof normalizer !== "string") return "normalizer must be a string";
  return value as unknown as NormalizedSourceRecord;
}

/** True when the record describes exactly these raw bytes (same key, size and SHA-256). */
export function recordMatchesSource(record: NormalizedSourceRecord, key: string, source: ByteDigest): boolean {
  return record.source.key === key && record.source.bytes === source.bytes && record.source.sha256 === source.sha256;
}

let fingerprint: string | undefined;

/**
 * 16 hex digits naming what the normaliser writes for a given input: the header table (every template's columns
 * and spellings) and the output version. Two normalisers with the same fingerprint write the same bytes.
 */
export function normalizerFingerprint(): string {
  fingerprint ??= createHash("sha256")
    .update(JSON.stringify({ version: NORMALIZED_OUTPUT_VERSION, templates: allTemplateSpecs() }))
    .digest("hex")
    .slice(0, 16);
  return fingerprint;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isDigest(value: Record<string, unknown>): boolean {
  return isCount(value.bytes) && typeof value.sha256 === "string" && /^[0-9a-f]{64}$/.test(value.sha256);
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function isHeaderReport(value: unknown): value is HeaderReport {
  return (
    isObject(value) &&
    isStrings(value.header) &&
    typeof value.signature === "string" &&
    isStrings(value.unknownHeaders) &&
    isStrings(value.duplicateHeaders) &&
    isStrings(value.missingColumns) &&
    isStrings(value.derivedColumns) &&
    typeof value.newSignature === "boolean"
  );
}
