import type { ParsedReportKey } from "./report-key";
import { supportedTemplateSpecs, templateSpec, type ReportTemplate } from "./templates";

/**
 * The normalised tables: what the normaliser writes (gzip JSON Lines), what the Glue tables declare (OpenX
 * JSON SerDe, by name) and what the local engine loads into DuckDB — one column list, so the three agree.
 *
 * Columns: the template's canonical columns (reports/templates.ts), then the lineage columns, then
 * `unknown_columns` (headers the table does not know, kept verbatim). Partition: `delivery_date`.
 */

/** Column types used by the normalised tables; each has a Glue (Hive) and a DuckDB spelling. */
export type NormalizedColumnType = "string" | "int" | "map<string,string>";

export interface NormalizedColumn {
  readonly name: string;
  readonly type: NormalizedColumnType;
  readonly comment: string;
}

export const DUCKDB_TYPES: Readonly<Record<NormalizedColumnType, string>> = {
  string: "VARCHAR",
  int: "INTEGER",
  "map<string,string>": "MAP(VARCHAR, VARCHAR)",
};

/** Where each row came from (the lineage): written by the normaliser into every row. */
export const LINEAGE_COLUMNS: readonly NormalizedColumn[] = [
  { name: "source_key", type: "string", comment: "S3 key of the raw report CSV this row was read from" },
  { name: "delivery_scope", type: "string", comment: "account id of a single-account report, or crossaccount" },
  { name: "delivery_region", type: "string", comment: "Region of a single-Region report, or crossregion" },
  { name: "report_plan", type: "string", comment: "report plan name (the folder above the file)" },
  { name: "part_number", type: "int", comment: "part of a split report (_1, _2, ...); null when the name has none" },
  { name: "header_signature", type: "string", comment: "hash of the file's header row (drift tracking)" },
];

export const UNKNOWN_COLUMNS: NormalizedColumn = {
  name: "unknown_columns",
  type: "map<string,string>",
  comment: "headers not in reports/templates.ts, by header text (kept, never dropped)",
};

/** The partition column: delivery day `YYYY-MM-DD` from the raw key's folders (projected, not registered). */
export const DELIVERY_DATE: NormalizedColumn = {
  name: "delivery_date",
  type: "string",
  comment: "delivery day YYYY-MM-DD (the raw key's YYYY/MM/DD folders, the end of the report period)",
};

/** Data columns of a template's normalised table, in table order. */
export function normalizedColumns(template: ReportTemplate): readonly NormalizedColumn[] {
  const spec = templateSpec(template);
  return [
    ...spec.columns.map((c): NormalizedColumn => ({ name: c.name, type: "string", comment: c.header })),
    ...LINEAGE_COLUMNS,
    UNKNOWN_COLUMNS,
  ];
}

/** The Glue table's columns plus its partition column, in table order: a local table's columns. */
export function tableColumns(template: ReportTemplate): NormalizedColumn[] {
  return [...normalizedColumns(template), DELIVERY_DATE];
}

/** Default folder of the normalised copies in the reports bucket (never under a raw report prefix). */
export const DEFAULT_NORMALIZED_PREFIX = "normalized";

/** `<prefix>/<table>/` — the Glue table's location. */
export function normalizedTableFolder(normalizedPrefix: string, tableName: string): string {
  return `${normalizedPrefix}/${tableName}/`;
}

/** Partition projection template of a table, for `storage.location.template`. */
export function normalizedLocationTemplate(bucket: string, normalizedPrefix: string, tableName: string): string {
  return `s3://${bucket}/${normalizedTableFolder(normalizedPrefix, tableName)}${DELIVERY_DATE.name}=\${${DELIVERY_DATE.name}}/`;
}

/** `YYYY-MM-DD` of a parsed raw key. */
export function deliveryDate(parsed: Pick<ParsedReportKey, "partitionValues">): string {
  const [, , year, month, day] = parsed.partitionValues;
  return `${year}-${month}-${day}`;
}

/**
 * Deterministic key of a raw report's normalised copy: a retried or duplicated event rewrites the same object.
 * Flat inside the day's folder (scope, Region and plan in the name) so that a partition is one folder.
 */
export function normalizedObjectKey(parsed: ParsedReportKey, normalizedPrefix: string): string {
  const [scope, region, , , , plan] = parsed.partitionValues;
  const stem = parsed.fileName.replace(/\.csv$/i, "");
  return (
    `${normalizedTableFolder(normalizedPrefix, parsed.tableName)}${DELIVERY_DATE.name}=${deliveryDate(parsed)}/` +
    `${scope}.${region}.${plan}.${stem}.json.gz`
  );
}

/** The tables the local engine and the queries know (refused templates have none). */
export function normalizedTableNames(): string[] {
  return supportedTemplateSpecs().map((s) => s.tableName);
}

/** Checks a normalised prefix: non-empty, no leading/trailing slash, not under or above a raw report prefix. */
export function checkNormalizedPrefix(normalizedPrefix: string, rawPrefixes: readonly string[]): string | null {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.\-/]*[A-Za-z0-9_]$|^[A-Za-z0-9]$/.test(normalizedPrefix) || normalizedPrefix.includes("//")) {
    return `normalised prefix "${normalizedPrefix}" must be a folder path without leading or trailing "/"`;
  }
  for (const raw of rawPrefixes) {
    const a = `${normalizedPrefix}/`;
    const b = raw === "" ? "" : `${raw}/`;
    if (b !== "" && (a.startsWith(b) || b.startsWith(a))) {
      return `normalised prefix "${normalizedPrefix}" overlaps the report prefix "${raw}"`;
    }
  }
  return null;
}
