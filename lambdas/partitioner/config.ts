import { parseReportTablesJson, type ReportTableRef } from "../../reports/report-tables";

/**
 * The function's environment, set by the analytics stack: `GLUE_DATABASE`, `REPORT_TABLES` (JSON list of
 * `{template, keyPrefix, tableName}`) and `REPORTS_BUCKET`. Read once per container; a missing or malformed value
 * throws so the misconfiguration shows up as failed invocations (and DLQ entries), never as silently dropped reports.
 */
export interface PartitionerConfig {
  readonly database: string;
  readonly tables: readonly ReportTableRef[];
  /** Events for other buckets are ignored; null accepts any bucket (the rule filters already). */
  readonly reportsBucket: string | null;
}

export function configFromEnv(env: Readonly<Record<string, string | undefined>>): PartitionerConfig {
  const database = env.GLUE_DATABASE;
  if (database === undefined || database.length === 0) throw new Error("GLUE_DATABASE is not set");
  const tablesJson = env.REPORT_TABLES;
  if (tablesJson === undefined || tablesJson.length === 0) throw new Error("REPORT_TABLES is not set");
  const bucket = env.REPORTS_BUCKET;
  return {
    database,
    tables: parseReportTablesJson(tablesJson),
    reportsBucket: bucket !== undefined && bucket.length > 0 ? bucket : null,
  };
}
