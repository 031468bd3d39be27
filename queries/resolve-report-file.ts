import * as fs from "node:fs";
import * as path from "node:path";
import type { ByteDigest } from "../reports/normalize";
import { deliveryDate, normalizedObjectKey } from "../reports/normalized-table";
import {
  normalizedSourceKey,
  parseNormalizedSource,
  recordMatchesSource,
  type NormalizedSourceRecord,
} from "../reports/normalized-source";
import type { ParsedReportKey } from "../reports/report-key";
import { jsonLinesToArrow, projectStream, recordBatches } from "./arrow-rows";
import type { ColumnSelection } from "./column-selection";
import {
  digestOf,
  digestOfFile,
  loadedPaths,
  LOADED_FORMAT,
  loaderFingerprint,
  readLoadedRecord,
  writeLoadedEntry,
  type LoadedFrom,
  type LoadedRecord,
} from "./local-cache";
import { driftWarnings, normalizeFile, outcomeWarnings } from "./normalize-folder";

/**
 * Where the rows of one raw report file of a synced folder come from, in this order:
 *
 * 1. the cache (queries/local-cache.ts), when its entry belongs to these raw bytes (size and SHA-256) and to this
 *    normaliser and loader, its Arrow stream is intact, and — when the bucket's copy is usable — it was read from
 *    that very copy;
 * 2. the bucket's normalised copy (`normalized/…`, synced with the raw files), when its recorded source
 *    (reports/normalized-source.ts) names these raw bytes and the copy's bytes are the recorded ones: what Athena
 *    reads, byte for byte;
 * 3. the Lambda's normaliser, run now (into the cache, or a scratch folder without one).
 *
 * A copy or cache entry that exists but does not fit — stale (the raw file changed since) or corrupt (its bytes are
 * not the recorded ones, its record unreadable) — gives one warning line naming the file, and the next source is
 * used. Runs in the normalising worker thread (queries/normalize-worker.ts), or in the calling thread.
 */

export type FileOrigin = "bucket-copy" | "cache" | "normalized";

export interface ResolveJob {
  /** The synced folder (absolute). */
  readonly root: string;
  readonly normalizedPrefix: string;
  /** Read the folder's normalised copies (`<normalizedPrefix>/…` with their recorded sources). */
  readonly bucketCopies: boolean;
  /** This folder's cache (`prepareCacheFolder`), or null: nothing is kept. */
  readonly cacheDir: string | null;
  /** Where to normalise without a cache: a temporary folder the caller removes. */
  readonly scratchDir: string;
  readonly files: readonly ParsedReportKey[];
  /** The columns handed over per table (queries/column-selection.ts); null: every column. The cache keeps them all. */
  readonly columns: ColumnSelection | null;
}

export interface ResolvedFile {
  readonly key: string;
  readonly parsed: ParsedReportKey;
  readonly normalizedKey: string;
  readonly origin: FileOrigin;
  /** Rows of the file (0 when skipped). */
  readonly rows: number;
  /** The rows as one Arrow stream of the table's (selected) columns; null when the normaliser skipped the file. */
  readonly ipc: Uint8Array | null;
  /** Drift and skip lines, naming the file: what a later run that reads the file's cache entry says again. */
  readonly warnings: readonly string[];
  /** At most one line about a stale or corrupt copy or cache entry, naming the file (said once, when it is redone). */
  readonly problem: string | null;
  /** The folder has a normalised copy of this file without a recorded source (written before records existed). */
  readonly copyWithoutRecord: boolean;
}

/** The bucket copy's state: usable (its record names these raw bytes), absent, or unusable with the warning to print. */
type CopyState =
  | { readonly kind: "usable"; readonly record: NormalizedSourceRecord; readonly file: string; readonly source: ByteDigest }
  | { readonly kind: "absent"; readonly withoutRecord: boolean }
  | { readonly kind: "unusable"; readonly warning: string };

/** A file resolved (`resolveReportFile`), its rows reduced to the job's selected columns. */
export async function resolveForLoading(job: ResolveJob, parsed: ParsedReportKey): Promise<ResolvedFile> {
  const file = await resolveReportFile(job, parsed);
  const columns = job.columns?.[parsed.tableName];
  if (file.ipc === null || columns === undefined) return file;
  return { ...file, ipc: projectStream(parsed.template, file.ipc, columns) };
}

export async function resolveReportFile(job: ResolveJob, parsed: ParsedReportKey): Promise<ResolvedFile> {
  const { root, normalizedPrefix } = job;
  const key = parsed.key;
  const normalizedKey = normalizedObjectKey(parsed, normalizedPrefix);
  const rawFile = path.join(root, ...key.split("/"));
  const stat = fs.statSync(rawFile);
  const rawBytes = stat.size;

  const copyRecord = job.bucketCopies ? readCopyRecord(root, normalizedKey, normalizedPrefix) : null;
  const paths = job.cacheDir === null ? null : loadedPaths(job.cacheDir, normalizedKey, normalizedPrefix);
  const cached = paths === null ? null : readLoadedRecord(paths.record);

  // The raw bytes are hashed only when a record could describe them (same size): a size that differs is stale.
  // A cache entry made from this file at this size and modification time names its hash already (queries/local-cache.ts).
  const sizeFits = (r: { readonly source: { readonly bytes: number } } | null | string | undefined): boolean =>
    typeof r === "object" && r !== null && r.source.bytes === rawBytes;
  const unchanged =
    typeof cached === "object" && cached !== null && cached.source.key === key && sizeFits(cached) && cached.source.mtimeMs === stat.mtimeMs;
  const source = unchanged
    ? { bytes: rawBytes, sha256: cached.source.sha256 }
    : sizeFits(copyRecord?.record) || sizeFits(cached)
      ? digestOfFile(rawFile)
      : null;

  const copy = copyState(job, key, normalizedKey, copyRecord, source, rawBytes);
  const base = { key, parsed, normalizedKey, copyWithoutRecord: copy.kind === "absent" && copy.withoutRecord };
  // At most one line per file about a stale or corrupt copy: the bucket copy's, else the cache entry's.
  let problem: string | null = copy.kind === "unusable" ? copy.warning : null;

  if (paths !== null && cached !== null) {
    const use = cacheEntry(parsed, cached, source, copy, paths.arrow);
    if (use.kind === "use") return { ...base, origin: "cache", rows: use.record.rows, ipc: use.ipc, warnings: [...use.record.warnings], problem: null };
    if (use.kind === "warn") problem ??= `${key}: ${use.warning}`;
  }

  const day = deliveryDate(parsed);
  if (copy.kind === "usable") {
    const gz = fs.readFileSync(copy.file);
    const digest = digestOf(gz);
    if (digest.bytes === copy.record.copy.bytes && digest.sha256 === copy.record.copy.sha256) {
      const rows = jsonLinesToArrow(parsed.template, gz, day, copy.record.copy.key);
      const drift = driftWarnings(key, copy.record.header);
      keep(paths, { from: "bucket-copy", source: copy.source, mtimeMs: stat.mtimeMs, key, copySha256: digest.sha256, rows: rows.rows, warnings: drift }, rows.ipc);
      return { ...base, origin: "bucket-copy", rows: rows.rows, ipc: rows.ipc, warnings: drift, problem };
    }
    problem =
      `${key}: its normalised copy ${copy.record.copy.key} is corrupt (${digest.bytes} bytes, sha256 ${short(digest.sha256)}; ` +
      `its record says ${copy.record.copy.bytes} bytes, sha256 ${short(copy.record.copy.sha256)}): normalised again`;
  }

  // Normalise now, with the Lambda's normaliser, into the cache (or the scratch folder).
  const outDir = job.cacheDir ?? job.scratchDir;
  const file = await normalizeFile(root, outDir, normalizedPrefix, parsed);
  const lines = outcomeWarnings(key, file.outcome);
  const digest = file.outcome.source;
  if (file.outcome.kind === "skipped") {
    keep(paths, { from: "normalized", source: digest, mtimeMs: stat.mtimeMs, key, copySha256: null, rows: 0, warnings: lines }, null);
    return { ...base, origin: "normalized", rows: 0, ipc: null, warnings: lines, problem };
  }
  const written = path.join(outDir, ...file.normalizedKey.split("/"));
  const rows = jsonLinesToArrow(parsed.template, fs.readFileSync(written), day, written);
  keep(paths, { from: "normalized", source: digest, mtimeMs: stat.mtimeMs, key, copySha256: file.outcome.output.sha256, rows: rows.rows, warnings: lines }, rows.ipc);
  return { ...base, origin: "normalized", rows: rows.rows, ipc: rows.ipc, warnings: lines, problem };
}

/** The bucket copy's record: null when the folder has none (or copies are not read), else the record or its problem. */
function readCopyRecord(
  root: string,
  normalizedKey: string,
  normalizedPrefix: string,
): { readonly recordKey: string; readonly record: NormalizedSourceRecord | undefined; readonly problem: string | undefined } | null {
  const recordKey = normalizedSourceKey(normalizedKey, normalizedPrefix);
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, ...recordKey.split("/")), "utf8");
  } catch {
    return null;
  }
  const parsed = parseNormalizedSource(text);
  return typeof parsed === "string" ? { recordKey, record: undefined, problem: parsed } : { recordKey, record: parsed, problem: undefined };
}

function copyState(
  job: ResolveJob,
  key: string,
  normalizedKey: string,
  found: ReturnType<typeof readCopyRecord>,
  source: ByteDigest | null,
  rawBytes: number,
): CopyState {
  const copyFile = path.join(job.root, ...normalizedKey.split("/"));
  if (!job.bucketCopies) return { kind: "absent", withoutRecord: false };
  if (found === null) return { kind: "absent", withoutRecord: fs.existsSync(copyFile) };
  if (found.record === undefined) {
    return { kind: "unusable", warning: `${key}: the recorded source of its normalised copy (${found.recordKey}) is unreadable: ${found.problem}; normalised again` };
  }
  const record = found.record;
  if (record.copy.key !== normalizedKey || record.source.key !== key) {
    return { kind: "unusable", warning: `${key}: ${found.recordKey} records ${record.source.key} → ${record.copy.key}, not this file; normalised again` };
  }
  if (source === null || !recordMatchesSource(record, key, source)) {
    const was = `${record.source.bytes} bytes${source === null ? "" : `, sha256 ${short(record.source.sha256)}`}`;
    const is = `${rawBytes} bytes${source === null ? "" : `, sha256 ${short(source.sha256)}`}`;
    return { kind: "unusable", warning: `${key}: its normalised copy ${record.copy.key} is stale (made from ${was}; the file has ${is}): normalised again` };
  }
  if (!fs.existsSync(copyFile)) {
    return { kind: "unusable", warning: `${key}: its normalised copy ${record.copy.key} is missing (only its record was synced): normalised again` };
  }
  return { kind: "usable", record, file: copyFile, source };
}

type CacheUse =
  | { readonly kind: "use"; readonly record: LoadedRecord; readonly ipc: Uint8Array | null }
  | { readonly kind: "rebuild" }
  | { readonly kind: "warn"; readonly warning: string };

/** Whether the cache entry can be used for these raw bytes, and if not, whether that deserves a warning. */
function cacheEntry(parsed: ParsedReportKey, cached: LoadedRecord | string, source: ByteDigest | null, copy: CopyState, arrowFile: string): CacheUse {
  const key = parsed.key;
  if (typeof cached === "string") return { kind: "warn", warning: `its cache entry is unreadable (${cached}): read again` };
  // Another normaliser or loader (an upgrade): rebuilt without a word.
  if (cached.fingerprint !== loaderFingerprint()) return { kind: "rebuild" };
  if (source === null || cached.source.key !== key || cached.source.bytes !== source.bytes || cached.source.sha256 !== source.sha256) {
    return { kind: "warn", warning: "its cached rows are stale (the file changed since they were cached): read again" };
  }
  // A usable bucket copy wins over rows normalised locally, or read from another copy: Athena reads that copy.
  if (copy.kind === "usable" && (cached.from !== "bucket-copy" || cached.copySha256 !== copy.record.copy.sha256)) return { kind: "rebuild" };
  if (cached.arrow === null) return { kind: "use", record: cached, ipc: null };
  let ipc: Buffer;
  try {
    ipc = fs.readFileSync(arrowFile);
  } catch {
    return { kind: "warn", warning: `its cached rows ${arrowFile} are missing: read again` };
  }
  const digest = digestOf(ipc);
  if (digest.bytes !== cached.arrow.bytes || digest.sha256 !== cached.arrow.sha256) {
    return {
      kind: "warn",
      warning: `its cached rows ${arrowFile} are corrupt (${digest.bytes} bytes, sha256 ${short(digest.sha256)}; recorded ${cached.arrow.bytes} bytes, sha256 ${short(cached.arrow.sha256)}): read again`,
    };
  }
  if (typeof recordBatches(parsed.template, ipc) === "string") {
    return { kind: "warn", warning: `its cached rows ${arrowFile} are not an Arrow stream of its table: read again` };
  }
  return { kind: "use", record: cached, ipc };
}

/** Writes the cache entry, when there is a cache. */
function keep(
  paths: { arrow: string; record: string } | null,
  entry: {
    from: LoadedFrom;
    source: ByteDigest;
    mtimeMs: number;
    key: string;
    copySha256: string | null;
    rows: number;
    warnings: readonly string[];
  },
  ipc: Uint8Array | null,
): void {
  if (paths === null) return;
  const record: LoadedRecord = {
    format: LOADED_FORMAT,
    fingerprint: loaderFingerprint(),
    source: { key: entry.key, bytes: entry.source.bytes, sha256: entry.source.sha256, mtimeMs: entry.mtimeMs },
    from: entry.from,
    copySha256: entry.copySha256,
    rows: entry.rows,
    arrow: ipc === null ? null : digestOf(ipc),
    warnings: entry.warnings,
  };
  writeLoadedEntry(paths, record, ipc);
}

/** The first 12 hex digits of a SHA-256, enough to tell two apart in a message. */
function short(sha256: string): string {
  return `${sha256.slice(0, 12)}…`;
}
