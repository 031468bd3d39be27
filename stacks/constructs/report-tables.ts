import { Construct } from "constructs";
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import type { NormalizedReportPlan } from "../../config/types";
import {
  DELIVERY_DATE,
  normalizedColumns,
  normalizedLocationTemplate,
  normalizedTableFolder,
} from "../../reports/normalized-table";
import { type ReportTableRef, reportTablesForPlans } from "../../reports/report-tables";
import { templateSpec } from "../../reports/templates";
import { terraformLiteral } from "../terraform-literal";

/** Properties of ReportTables. */
export interface ReportTablesProps {
  /** Glue database name (lower case, letters, digits, underscore: Athena rejects hyphens). */
  readonly databaseName: string;
  /** Reports bucket holding the normalised copies. */
  readonly bucketName: string;
  /** Folder of the normalised copies in the bucket (the partitioner's NORMALIZED_PREFIX). */
  readonly normalizedPrefix: string;
  /** One table per plan's template. */
  readonly plans: readonly NormalizedReportPlan[];
  /** First delivery day partition projection enumerates. Default: 2021-01-01 (Audit Manager's launch year). */
  readonly projectionStartDate?: string;
}

/** Hive classes and SerDe of the normalised tables: JSON Lines read BY NAME (OpenX JSON SerDe). */
export const JSON_TABLE_FORMAT = {
  inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
  outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
  serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
} as const;

/**
 * The Glue database and one external table per report plan's template over the NORMALISED copies (gzip JSON
 * Lines written by the partitioner): columns are matched to JSON keys by name, so column order, enhanced-context
 * columns and single-account vs organization files cannot shift values. Partitions are projected from
 * `delivery_date` (no partition API calls, nothing to backfill in Glue). Data columns are `string` except the
 * lineage `part_number` (int) and `unknown_columns` (map); casting belongs in the queries.
 */
export class ReportTables extends Construct {
  /** The Glue database. */
  readonly database: GlueCatalogDatabase;
  /** One external table per report plan's template. */
  readonly tables: readonly GlueCatalogTable[];
  /** `{template, keyPrefix, tableName}` per plan: the partitioner's REPORT_TABLES. */
  readonly refs: readonly ReportTableRef[];

  constructor(scope: Construct, id: string, props: ReportTablesProps) {
    super(scope, id);
    this.database = new GlueCatalogDatabase(this, "database", {
      name: props.databaseName,
      description: "AWS Backup Audit Manager reports (backup-audit-insights)",
    });

    // The same builder the CLI uses, so the Lambda's REPORT_TABLES and the tables agree.
    this.refs = reportTablesForPlans(props.plans);
    const p = `projection.${DELIVERY_DATE.name}`;

    this.tables = props.plans.map((plan) => {
      const spec = templateSpec(plan.template);
      return new GlueCatalogTable(this, spec.tableName, {
        name: spec.tableName,
        // A reference: the table waits for the database.
        databaseName: this.database.name,
        description: `${plan.template} of report plan ${plan.name}, normalised by header name (raw CSV under ${plan.keyPrefix || "the bucket root"})`,
        tableType: "EXTERNAL_TABLE",
        parameters: {
          classification: "json",
          compressionType: "gzip",
          "projection.enabled": "true",
          [`${p}.type`]: "date",
          [`${p}.format`]: "yyyy-MM-dd",
          [`${p}.range`]: `${props.projectionStartDate ?? "2021-01-01"},NOW`,
          [`${p}.interval`]: "1",
          [`${p}.interval.unit`]: "DAYS",
          "storage.location.template": terraformLiteral(
            normalizedLocationTemplate(props.bucketName, props.normalizedPrefix, spec.tableName),
          ),
        },
        storageDescriptor: {
          location: `s3://${props.bucketName}/${normalizedTableFolder(props.normalizedPrefix, spec.tableName)}`,
          inputFormat: JSON_TABLE_FORMAT.inputFormat,
          outputFormat: JSON_TABLE_FORMAT.outputFormat,
          serDeInfo: {
            serializationLibrary: JSON_TABLE_FORMAT.serializationLibrary,
            // Keys are matched as written: canonical names are lower case, unknown header texts keep their case.
            parameters: { "case.insensitive": "false", "ignore.malformed.json": "false" },
          },
          columns: normalizedColumns(plan.template).map((c) => ({ name: c.name, type: c.type, comment: c.comment })),
        },
        partitionKeys: [{ name: DELIVERY_DATE.name, type: DELIVERY_DATE.type, comment: DELIVERY_DATE.comment }],
      });
    });
  }
}
