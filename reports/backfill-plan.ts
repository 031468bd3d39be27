import { normalizedObjectKey } from "./normalized-table";
import { parseReportKey, type KeyRejectionReason, type ParsedReportKey } from "./report-key";
import type { ReportTableRef } from "./report-tables";

/**
 * Backfill planning without I/O: listed raw keys and listed normalised keys in, the raw report files to
 * (re-)normalise out. Kept apart from the S3 calls so that it can be benchmarked and tested on its own, and so
 * that the Lambda and backfill agree by construction: both use parseReportKey and normalizedObjectKey.
 */

export type SkipReason = KeyRejectionReason | "normalized-key-conflict";

export interface SkippedKey {
  readonly key: string;
  readonly reason: SkipReason;
  readonly message: string;
}

export interface PlannedFile {
  readonly parsed: ParsedReportKey;
  readonly normalizedKey: string;
}

export class BackfillPlanner {
  private readonly byNormalizedKey = new Map<string, PlannedFile>();
  private readonly seenKeys = new Set<string>();
  readonly skipped: SkippedKey[] = [];
  objectsSeen = 0;

  constructor(
    private readonly tables: ReadonlyArray<ReportTableRef>,
    private readonly normalizedPrefix: string,
  ) {}

  /** One listed raw object. Keys from ListObjectsV2 are raw, so no percent-decoding. Duplicates count once. */
  add(key: string): void {
    if (this.seenKeys.has(key)) return;
    this.seenKeys.add(key);
    this.objectsSeen++;
    const parsed = parseReportKey(key, this.tables, { decodePercent: false });
    if (!parsed.ok) {
      this.skipped.push({ key, reason: parsed.reason, message: parsed.message });
      return;
    }
    const normalizedKey = normalizedObjectKey(parsed, this.normalizedPrefix);
    const existing = this.byNormalizedKey.get(normalizedKey);
    if (existing !== undefined) {
      // Two raw keys with one normalised twin (e.g. with and without `Backup/`): the first listed wins.
      this.skipped.push({
        key,
        reason: "normalized-key-conflict",
        message: `its normalised copy ${normalizedKey} belongs to ${existing.parsed.key}`,
      });
      return;
    }
    this.byNormalizedKey.set(normalizedKey, { parsed, normalizedKey });
  }

  get reportFiles(): number {
    return this.byNormalizedKey.size;
  }

  /** Report files whose normalised twin is not in `existing` (all of them with `force`), sorted by key. */
  toNormalize(existing: ReadonlySet<string>, force: boolean): PlannedFile[] {
    return [...this.byNormalizedKey.values()]
      .filter((f) => force || !existing.has(f.normalizedKey))
      .sort((a, b) => (a.parsed.key < b.parsed.key ? -1 : a.parsed.key > b.parsed.key ? 1 : 0));
  }
}

/**
 * Prefixes to list: each table's prefix once, and none nested under another listed prefix (its objects are
 * listed already). An empty prefix means the whole bucket.
 */
export function listingPrefixes(tables: ReadonlyArray<ReportTableRef>): string[] {
  const prefixes = [...new Set(tables.map((t) => (t.keyPrefix === "" ? "" : `${t.keyPrefix}/`)))].sort();
  return prefixes.filter((p) => !prefixes.some((q) => q !== p && p.startsWith(q)));
}
