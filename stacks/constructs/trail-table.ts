import { Construct } from "constructs";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import {
  TRAIL_COLUMNS,
  TRAIL_PARTITION_KEYS,
  TRAIL_TABLE_FORMAT,
  TRAIL_TABLE_NAME,
  trailLogsRoot,
  trailProjectionParameters,
  type TrailLocation,
} from "../../queries/trail-table";
import { terraformLiteral } from "../terraform-literal";

/** Properties of TrailTable. */
export interface TrailTableProps {
  /** Glue database (a name or a reference, so the table waits for the database). */
  readonly databaseName: string;
  /** Where the log files are (bucket, prefix, organization). */
  readonly location: TrailLocation;
  /** Accounts and Regions the projection enumerates. */
  readonly accounts: readonly string[];
  /** Regions the projection enumerates. */
  readonly regions: readonly string[];
  /** Days back from today the projection covers (the trail's log retention). */
  readonly retentionDays: number;
}

/**
 * The Glue table `cloudtrail_logs` over the trail's log files, with partition projection (account, Region,
 * day): AWS Backup's CloudTrail events become queryable in the analytics workgroup. Reading them across
 * accounts needs the trail bucket's read grant for the analytics account (TrailBucket, or printed by validate
 * for an existing trail's bucket).
 */
export class TrailTable extends Construct {
  /** The Glue table `cloudtrail_logs`. */
  readonly table: GlueCatalogTable;

  constructor(scope: Construct, id: string, props: TrailTableProps) {
    super(scope, id);
    this.table = new GlueCatalogTable(this, "table", {
      name: TRAIL_TABLE_NAME,
      databaseName: props.databaseName,
      description: "CloudTrail log files of the audit trail (AWS Backup events); partition projection",
      tableType: "EXTERNAL_TABLE",
      // The projection's `${account}`, `${region}` and `${timestamp}` are Athena's, not Terraform's.
      parameters: Object.fromEntries(
        Object.entries(
          trailProjectionParameters(props.location, props.accounts, props.regions, props.retentionDays),
        ).map(([key, value]) => [key, terraformLiteral(value)]),
      ),
      storageDescriptor: {
        location: trailLogsRoot(props.location),
        inputFormat: TRAIL_TABLE_FORMAT.inputFormat,
        outputFormat: TRAIL_TABLE_FORMAT.outputFormat,
        serDeInfo: { serializationLibrary: TRAIL_TABLE_FORMAT.serializationLibrary },
        columns: TRAIL_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
      },
      partitionKeys: TRAIL_PARTITION_KEYS.map((k) => ({ name: k.name, type: k.type })),
    });
  }
}
