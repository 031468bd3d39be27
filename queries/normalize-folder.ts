import * as fs from "fs";
import * as path from "path";
import { normalizeReport, type HeaderReport, type NormalizeOutcome, type NormalizedSink } from "../reports/normalize";
import { DEFAULT_NORMALIZED_PREFIX, normalizedObjectKey } from "../reports/normalized-table";
import { normalizedSourceKey, normalizedSourceRecord, serializeNormalizedSource } from "../reports/normalized-source";
import { parseReportKey, type ParsedReportKey } from "../reports/report-key";
import { supportedTemplateSpecs, type ReportTemplateSpec } from "../reports/templates";

/**
 * A local copy of the reports bucket (`aws s3 sync`) → the normalised copies the partitioner Lambda would
 * write, into another folder, with the SAME normaliser (reports/normalize.ts) and the same keys, each beside its
 * recorded source (reports/normalized-source.ts) as the Lambda writes it (`etag` null: a local file has none).
 */

export interface NormalizedFile {
  /** Raw key (path below the folder, `/` separators). */
  readonly key: string;
  readonly parsed: ParsedReportKey;
  /** Key of the normalised copy below the output folder. */
  readonly normalizedKey: string;
  /** Key of its recorded source below the output folder; null when the file was skipped (nothing written). */
  readonly sourceRecordKey: string | null;
  readonly outcome: NormalizeOutcome;
}

export interface FolderNormalization {
  readonly files: readonly NormalizedFile[];
  /** One line each, naming the file: skipped files, header drift. */
  readonly warnings: readonly string[];
}

/** A file sink: written to a temporary name, renamed into place on commit (never a half-written file). */
export function fileSink(file: string): NormalizedSink {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.partial`;
  const stream = fs.createWriteStream(temp);
  return {
    stream,
    commit: async () => fs.promises.rename(temp, file),
    abort: async () => {
      stream.destroy();
      await fs.promises.rm(temp, { force: true });
    },
  };
}

/** Writes a small file whole: under a temporary name, then renamed into place. */
export function writeFileAtomically(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.partial`;
  try {
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

/** Report CSVs under the folder whose key parses like the Lambda's; the rest are warned about or ignored. */
export function findReportFiles(root: string, warnings: string[]): ParsedReportKey[] {
  const out: ParsedReportKey[] = [];
  const specs = supportedTemplateSpecs();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(absolute);
      else if (entry.isFile() && /\.csv$/i.test(entry.name)) {
        const key = path.relative(root, absolute).split(path.sep).join("/");
        const found = classify(key, specs);
        if (typeof found === "string") warnings.push(`${key}: skipped: ${found}`);
        else out.push(found);
      }
    }
  };
  walk(root);
  return out;
}

/**
 * Template and layout of one key. The local folder does not say which key prefix each report plan uses, so the
 * template comes from the file name (`backup_job_report_...`) or, failing that, from a folder named like a
 * template's default prefix (`BackupJob`); the key prefix is whatever precedes the dated layout. The key is then
 * checked by the Lambda's parser, so a file the Lambda would never normalise is not counted locally either.
 */
function classify(key: string, specs: readonly ReportTemplateSpec[]): ParsedReportKey | string {
  const segments = key.split("/");
  const fileName = segments[segments.length - 1].toLowerCase();
  const spec =
    specs.find((s) => fileName.startsWith(s.fileNamePrefix)) ??
    specs.find((s) => segments.slice(0, -1).includes(s.defaultKeyPrefix));
  if (spec === undefined) return "neither the file name nor a folder names a report template";
  const layoutDepth = segments.length >= 8 && segments[segments.length - 8] === "Backup" ? 8 : 7;
  if (segments.length < layoutDepth) return "expected <prefix>/Backup/<scope>/<region>/YYYY/MM/DD/<plan>/<file>.csv";
  const keyPrefix = segments.slice(0, segments.length - layoutDepth).join("/");
  const parsed = parseReportKey(key, [{ template: spec.template, keyPrefix, tableName: spec.tableName }], { decodePercent: false });
  return parsed.ok ? parsed : parsed.message;
}

/** Drift and skip lines for one outcome (the Lambda logs the same facts as WARN/INFO). */
export function outcomeWarnings(key: string, outcome: NormalizeOutcome): string[] {
  if (outcome.kind === "skipped") return [`${key}: skipped: ${outcome.reason}: ${outcome.message.replace(`${key}: `, "")}`];
  return driftWarnings(key, outcome.header);
}

/** The drift line of a header that the header table does not fully describe (none for a known header). */
export function driftWarnings(key: string, h: HeaderReport): string[] {
  if (!h.newSignature) return [];
  const parts = [
    h.unknownHeaders.length > 0 ? `unknown headers ${h.unknownHeaders.join(", ")}` : "",
    h.duplicateHeaders.length > 0 ? `duplicate headers ${h.duplicateHeaders.join(", ")}` : "",
  ].filter((p) => p !== "");
  return [`${key}: new header signature ${h.signature}: ${parts.join("; ")} (kept in unknown_columns; add them to reports/templates.ts)`];
}

/**
 * One report CSV of the folder → its normalised copy under `outDir` (the key the Lambda would write), then its
 * recorded source beside it (copy first, record second, as the Lambda).
 */
export async function normalizeFile(root: string, outDir: string, normalizedPrefix: string, parsed: ParsedReportKey): Promise<NormalizedFile> {
  const normalizedKey = normalizedObjectKey(parsed, normalizedPrefix);
  const target = path.join(outDir, ...normalizedKey.split("/"));
  const outcome = await normalizeReport(fs.createReadStream(path.join(root, ...parsed.key.split("/"))), parsed, () => fileSink(target));
  if (outcome.kind === "skipped") return { key: parsed.key, parsed, normalizedKey, sourceRecordKey: null, outcome };
  const sourceRecordKey = normalizedSourceKey(normalizedKey, normalizedPrefix);
  const record = normalizedSourceRecord(outcome, parsed.key, normalizedKey, null);
  writeFileAtomically(path.join(outDir, ...sourceRecordKey.split("/")), serializeNormalizedSource(record));
  return { key: parsed.key, parsed, normalizedKey, sourceRecordKey, outcome };
}

/**
 * Normalises every report CSV under `root` into `outDir` (keys as in the bucket, under `normalizedPrefix`).
 * A file that cannot be parsed rejects with the normaliser's error (file and line), as the Lambda fails.
 */
export async function normalizeFolder(
  root: string,
  outDir: string,
  normalizedPrefix: string = DEFAULT_NORMALIZED_PREFIX,
): Promise<FolderNormalization> {
  const warnings: string[] = [];
  const files: NormalizedFile[] = [];
  for (const parsed of findReportFiles(root, warnings)) {
    const file = await normalizeFile(root, outDir, normalizedPrefix, parsed);
    warnings.push(...outcomeWarnings(parsed.key, file.outcome));
    files.push(file);
  }
  return { files, warnings };
}
