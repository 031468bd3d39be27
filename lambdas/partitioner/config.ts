import { DEFAULT_NORMALIZED_PREFIX, checkNormalizedPrefix } from "../../reports/normalized-table";
import { parseReportTablesJson, type ReportTableRef } from "../../reports/report-tables";

/**
 * The function's environment, set by the analytics stack: `REPORT_TABLES` (JSON list of
 * `{template, keyPrefix, tableName}`), `REPORTS_BUCKET` and `NORMALIZED_PREFIX`. Read once per container; a
 * missing or malformed value throws so the misconfiguration shows up as failed invocations (and DLQ entries),
 * never as silently dropped reports.
 */
export interface PartitionerConfig {
  readonly tables: readonly ReportTableRef[];
  /** Events for other buckets are ignored; null accepts any bucket (the rule filters already). */
  readonly reportsBucket: string | null;
  /** Folder of the normalised copies in the same bucket. */
  readonly normalizedPrefix: string;
}

export function configFromEnv(env: Readonly<Record<string, string | undefined>>): PartitionerConfig {
  const tablesJson = env.REPORT_TABLES;
  if (tablesJson === undefined || tablesJson.length === 0) throw new Error("REPORT_TABLES is not set");
  const tables = parseReportTablesJson(tablesJson);
  const bucket = env.REPORTS_BUCKET;
  const normalizedPrefix = env.NORMALIZED_PREFIX ?? DEFAULT_NORMALIZED_PREFIX;
  const problem = checkNormalizedPrefix(normalizedPrefix, tables.map((t) => t.keyPrefix));
  if (problem !== null) throw new Error(`NORMALIZED_PREFIX: ${problem}`);
  return {
    tables,
    reportsBucket: bucket !== undefined && bucket.length > 0 ? bucket : null,
    normalizedPrefix,
  };
}
