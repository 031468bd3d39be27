import { Construct } from "constructs";
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import type { NormalizedReportPlan } from "../../config/types";
import { type ReportTableRef, reportTablesForPlans } from "../../reports/report-tables";
import { PARTITION_KEYS, templateSpec } from "../../reports/templates";

/** Properties of ReportTables. */
export interface ReportTablesProps {
  /** Glue database name (lower case, letters, digits, underscore: Athena rejects hyphens). */
  readonly databaseName: string;
  /** Reports bucket the plans deliver to. */
  readonly bucketName: string;
  /** One table per plan, located at the plan's key prefix. */
  readonly plans: readonly NormalizedReportPlan[];
}

/** Hive classes and SerDe of the CSV report tables (fact sheet §8.2). */
export const CSV_TABLE_FORMAT = {
  inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
  outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
  serializationLibrary: "org.apache.hadoop.hive.serde2.OpenCSVSerde",
} as const;

/**
 * The Glue database and one external CSV table per report plan. Every column is `string`: OpenCSVSerde only
 * converts a few numeric types, fails on empty numerics and reads timestamps only as epoch numbers, so
 * casting belongs in the queries. Columns come from `reports/templates.ts` in file order (the SerDe maps by
 * position); partitions are added by the partitioner, never by a crawler.
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

    this.tables = props.plans.map((plan) => {
      const spec = templateSpec(plan.template);
      return new GlueCatalogTable(this, spec.tableName, {
        name: spec.tableName,
        // A reference: the table waits for the database.
        databaseName: this.database.name,
        description: `${plan.template} delivered by report plan ${plan.name}`,
        tableType: "EXTERNAL_TABLE",
        parameters: { "skip.header.line.count": "1", classification: "csv" },
        storageDescriptor: {
          location: plan.keyPrefix === "" ? `s3://${props.bucketName}/` : `s3://${props.bucketName}/${plan.keyPrefix}/`,
          inputFormat: CSV_TABLE_FORMAT.inputFormat,
          outputFormat: CSV_TABLE_FORMAT.outputFormat,
          serDeInfo: {
            serializationLibrary: CSV_TABLE_FORMAT.serializationLibrary,
            parameters: { separatorChar: ",", quoteChar: '"', escapeChar: "\\" },
          },
          columns: spec.columns.map((c) => ({ name: c.name, type: "string", comment: c.header })),
        },
        partitionKeys: PARTITION_KEYS.map((k) => ({ name: k.name, type: "string", comment: k.comment })),
      });
    });
  }
}
