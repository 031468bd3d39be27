import { parseReportKey, partitionId, partitionLocation, type KeyRejectionReason, type PartitionValues } from "./report-key";
import type { ReportTableRef } from "./report-tables";
import type { ReportTemplate } from "./templates";

/**
 * Backfill planning without I/O: listed keys in, distinct partitions per table out. Kept apart from the S3/Glue
 * calls so that it can be benchmarked and tested on its own (and so the Lambda and backfill agree by construction:
 * both use parseReportKey).
 */

export interface PlannedPartition {
  readonly template: ReportTemplate;
  readonly tableName: string;
  readonly values: PartitionValues;
  readonly location: string;
  /** Report files seen in this partition (part files, re-runs). */
  files: number;
}

export type SkipReason = KeyRejectionReason | "location-conflict";

export interface SkippedKey {
  readonly key: string;
  readonly reason: SkipReason;
  readonly message: string;
}

export class BackfillPlanner {
  private readonly byTable = new Map<string, Map<string, PlannedPartition>>();
  private readonly seenKeys = new Set<string>();
  readonly skipped: SkippedKey[] = [];
  objectsSeen = 0;
  reportFiles = 0;

  constructor(
    private readonly tables: ReadonlyArray<ReportTableRef>,
    private readonly bucket: string,
  ) {}

  /** One listed object. Keys from ListObjectsV2 are raw, so no percent-decoding. Duplicates count once. */
  add(key: string): void {
    if (this.seenKeys.has(key)) return;
    this.seenKeys.add(key);
    this.objectsSeen++;
    const parsed = parseReportKey(key, this.tables, { decodePercent: false });
    if (!parsed.ok) {
      this.skipped.push({ key, reason: parsed.reason, message: parsed.message });
      return;
    }
    this.reportFiles++;
    let partitions = this.byTable.get(parsed.tableName);
    if (partitions === undefined) {
      partitions = new Map();
      this.byTable.set(parsed.tableName, partitions);
    }
    const id = partitionId(parsed.partitionValues);
    const location = partitionLocation(this.bucket, parsed);
    const existing = partitions.get(id);
    if (existing === undefined) {
      partitions.set(id, {
        template: parsed.template,
        tableName: parsed.tableName,
        values: parsed.partitionValues,
        location,
        files: 1,
      });
    } else if (existing.location !== location) {
      // Same values under two folders (e.g. with and without `Backup/`): a partition has one location, so the
      // first folder (in listing order) wins and the other is reported rather than silently merged.
      this.skipped.push({
        key,
        reason: "location-conflict",
        message: `partition ${parsed.partitionValues.join("/")} of ${parsed.tableName} is already at ${existing.location}`,
      });
    } else {
      existing.files++;
    }
  }

  /** Tables (sorted) with their partitions sorted by values: deterministic batches and output. */
  partitionsByTable(): Array<{ tableName: string; template: ReportTemplate; partitions: PlannedPartition[] }> {
    return [...this.byTable.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([tableName, partitions]) => {
        const list = [...partitions.values()].sort((a, b) => compareValues(a.values, b.values));
        return { tableName, template: list[0].template, partitions: list };
      });
  }

  get partitionCount(): number {
    let n = 0;
    for (const p of this.byTable.values()) n += p.size;
    return n;
  }
}

function compareValues(a: ReadonlyArray<string>, b: ReadonlyArray<string>): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/**
 * Prefixes to list: each table's prefix once, and none nested under another listed prefix (its objects are
 * listed already). An empty prefix means the whole bucket.
 */
export function listingPrefixes(tables: ReadonlyArray<ReportTableRef>): string[] {
  const prefixes = [...new Set(tables.map((t) => (t.keyPrefix === "" ? "" : `${t.keyPrefix}/`)))].sort();
  return prefixes.filter((p) => !prefixes.some((q) => q !== p && p.startsWith(q)));
}
