import { PARTITION_KEYS, allTemplateSpecs, type ReportTemplate } from "./templates";
import type { ReportTableRef } from "./report-tables";

/**
 * S3 key of a delivered Audit Manager report → template, table and the key's folder values (fact sheet §2 and
 * §8.3). Pure: no AWS clients, so the Lambda, the CLI (`parse-key`, `backfill`, `query`) and the benchmarks share
 * exactly one parser.
 *
 * Layout, counted from the end so that any prefix depth works:
 *   <keyPrefix>/[Backup/]<account id | crossaccount>/<Region | crossregion>/<YYYY>/<MM>/<DD>/<plan>/<file>.csv
 * The `Backup/` segment is documented but missing from older third-party keys, so it is optional (a warning).
 */

/** Partition values in `PARTITION_KEYS` order: scope, region, year, month, day, report plan. */
export type PartitionValues = readonly [
  deliveryScope: string,
  deliveryRegion: string,
  year: string,
  month: string,
  day: string,
  reportPlan: string,
];

export interface ParsedReportKey {
  readonly ok: true;
  /** The decoded S3 key (what S3 stores, `:` instead of `%3A`). */
  readonly key: string;
  readonly template: ReportTemplate;
  readonly tableName: string;
  /** The configured prefix that matched (longest wins). */
  readonly keyPrefix: string;
  readonly partitionValues: PartitionValues;
  /** Key prefix up to and including the report-plan folder, with trailing `/`. */
  readonly locationKey: string;
  readonly fileName: string;
  /** Trailing `_<n>` of the file name (reports over 50 MB are split); null when the name has none. */
  readonly part: number | null;
  readonly hasBackupSegment: boolean;
  /** Oddities that do not stop ingestion (missing `Backup/` segment, unrecognised file name). */
  readonly warnings: readonly string[];
}

export type KeyRejectionReason =
  | "empty-key"
  | "malformed-encoding"
  | "folder-marker"
  | "not-csv"
  | "no-template-prefix"
  | "unexpected-layout"
  | "bad-delivery-scope"
  | "bad-delivery-region"
  | "malformed-date"
  | "bad-report-plan"
  | "template-mismatch";

export interface KeyRejection {
  readonly ok: false;
  /** The key as received (decoded when decoding succeeded). */
  readonly key: string;
  readonly reason: KeyRejectionReason;
  readonly message: string;
}

export interface ParseReportKeyOptions {
  /**
   * Decode `%XX` escapes (default true). EventBridge `detail.object.key` encoding is unconfirmed (fact sheet §7)
   * while report file names contain `:`, so events are decoded defensively. Keys from ListObjectsV2 are raw:
   * callers listing S3 pass false. `+` is never turned into a space: report plan names and file names contain
   * no spaces, so a `+` can only be literal.
   */
  readonly decodePercent?: boolean;
}

const ACCOUNT_ID = /^\d{12}$/;
// us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, us-isob-east-1 ...
const REGION = /^[a-z]{2,}(?:-[a-z]+)+-\d{1,2}$/;
const YEAR = /^\d{4}$/;
const TWO_DIGITS = /^\d{2}$/;
// Report plan names are letters, digits and underscores [DOC]; `-`/`.` tolerated since only the folder matters.
const REPORT_PLAN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,255}$/;
const PART_SUFFIX = /_(\d+)\.csv$/i;
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

const FILE_PREFIXES: ReadonlyArray<{ template: ReportTemplate; prefix: string }> = allTemplateSpecs().map(
  (spec) => ({ template: spec.template, prefix: spec.fileNamePrefix }),
);

/** Partition values as `{ delivery_scope: ..., ... }` in `PARTITION_KEYS` order (for logs and JSON output). */
export function partitionRecord(values: PartitionValues): Record<string, string> {
  const record: Record<string, string> = {};
  PARTITION_KEYS.forEach((key, i) => {
    record[key.name] = values[i];
  });
  return record;
}

/** Decodes runs of `%XX`; null when they do not form valid UTF-8 (e.g. a lone `%C3`). */
function decodePercentEscapes(key: string): string | null {
  if (!key.includes("%")) return key;
  try {
    return key.replace(PERCENT_RUN, (run) => decodeURIComponent(run));
  } catch {
    return null;
  }
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function reject(key: string, reason: KeyRejectionReason, message: string): KeyRejection {
  return { ok: false, key, reason, message };
}

/** Longest configured prefix that the key lives under (`prefix/...`); an empty prefix matches every key. */
function matchTable(key: string, tables: ReadonlyArray<ReportTableRef>): ReportTableRef | undefined {
  let best: ReportTableRef | undefined;
  for (const table of tables) {
    const matches = table.keyPrefix === "" || key.startsWith(`${table.keyPrefix}/`);
    if (matches && (best === undefined || table.keyPrefix.length > best.keyPrefix.length)) best = table;
  }
  return best;
}

export function parseReportKey(
  rawKey: string,
  tables: ReadonlyArray<ReportTableRef>,
  options: ParseReportKeyOptions = {},
): ParsedReportKey | KeyRejection {
  if (typeof rawKey !== "string" || rawKey.length === 0) return reject(String(rawKey), "empty-key", "empty key");

  const decoded = options.decodePercent === false ? rawKey : decodePercentEscapes(rawKey);
  if (decoded === null) {
    return reject(rawKey, "malformed-encoding", "percent-escapes do not decode to UTF-8");
  }
  const key = decoded;
  if (key.endsWith("/")) return reject(key, "folder-marker", "folder marker, not a file");
  if (!/\.csv$/i.test(key)) {
    return reject(key, "not-csv", "not a CSV file (multi-account/multi-Region reports are CSV)");
  }

  const table = matchTable(key, tables);
  if (table === undefined) {
    return reject(key, "no-template-prefix", "key is not under any configured report template prefix");
  }

  const rest = table.keyPrefix === "" ? key : key.slice(table.keyPrefix.length + 1);
  const segments = rest.split("/");
  // scope, region, YYYY, MM, DD, plan, file, optionally preceded by the literal `Backup`.
  const hasBackupSegment = segments.length === 8 && segments[0] === "Backup";
  if (!(segments.length === 7 || hasBackupSegment) || segments.some((s) => s.length === 0)) {
    return reject(
      key,
      "unexpected-layout",
      `expected <prefix>/[Backup/]<scope>/<region>/<YYYY>/<MM>/<DD>/<plan>/<file>.csv after "${table.keyPrefix}/"`,
    );
  }
  const [scope, region, year, month, day, plan, fileName] = hasBackupSegment ? segments.slice(1) : segments;

  if (scope !== "crossaccount" && !ACCOUNT_ID.test(scope)) {
    return reject(key, "bad-delivery-scope", `"${scope}" is neither crossaccount nor a 12-digit account id`);
  }
  if (region !== "crossregion" && !REGION.test(region)) {
    return reject(key, "bad-delivery-region", `"${region}" is neither crossregion nor a Region name`);
  }
  if (!YEAR.test(year) || !TWO_DIGITS.test(month) || !TWO_DIGITS.test(day)) {
    return reject(key, "malformed-date", `"${year}/${month}/${day}" is not YYYY/MM/DD`);
  }
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (y < 2000 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    return reject(key, "malformed-date", `"${year}/${month}/${day}" is not a calendar date`);
  }
  if (!REPORT_PLAN.test(plan)) {
    return reject(key, "bad-report-plan", `"${plan}" is not a report plan name`);
  }

  const warnings: string[] = [];
  if (!hasBackupSegment) warnings.push("no Backup/ segment after the key prefix");
  // The file name names its template; a mismatch means the prefixes are configured wrongly (or overlap).
  const lowerName = fileName.toLowerCase();
  const named = FILE_PREFIXES.find((f) => lowerName.startsWith(f.prefix));
  if (named !== undefined && named.template !== table.template) {
    return reject(
      key,
      "template-mismatch",
      `file name is a ${named.template} but prefix "${table.keyPrefix}" is configured for ${table.template}`,
    );
  }
  if (named === undefined) warnings.push(`file name does not start with a known template prefix`);

  const partMatch = PART_SUFFIX.exec(fileName);
  const locationKey = key.slice(0, key.length - fileName.length);
  return {
    ok: true,
    key,
    template: table.template,
    tableName: table.tableName,
    keyPrefix: table.keyPrefix,
    partitionValues: [scope, region, year, month, day, plan],
    locationKey,
    fileName,
    part: partMatch === null ? null : Number(partMatch[1]),
    hasBackupSegment,
    warnings,
  };
}
