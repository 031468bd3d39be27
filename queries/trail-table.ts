/**
 * The table over the CloudTrail trail's log files (`cloudtrail_logs`), as plain data: the Glue table of the
 * analytics stack and the local engine (`queries/trail-logs.ts`) are built from this one definition, so the
 * queries in `queries/trail/` see the same columns in both.
 *
 * Columns follow Athena's documented CloudTrail table (JsonSerDe maps JSON keys to columns by name, case
 * insensitively; a missing key reads NULL). Two columns are declared as structs instead of strings so that the
 * queries need no JSON functions (DuckDB-wasm has none offline): `requestparameters` with the parameters of the
 * AWS Backup API calls the queries read, `serviceeventdetails` with the fields of AWS Backup's service events.
 * Fields of those two structs beyond the API's request parameter names are UNCONFIRMED (no AWS sample of
 * `serviceEventDetails` was read): verify against a real log file after the first deploy.
 */

export const TRAIL_TABLE_NAME = "cloudtrail_logs";

/** A column: Hive type (Glue) in lower case; `struct<...>` fields in lower case too. */
export interface TrailColumn {
  readonly name: string;
  readonly type: string;
}

const s = "string";

export const TRAIL_COLUMNS: readonly TrailColumn[] = [
  { name: "eventversion", type: s },
  {
    name: "useridentity",
    type: "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string>",
  },
  { name: "eventtime", type: s },
  { name: "eventsource", type: s },
  { name: "eventname", type: s },
  { name: "awsregion", type: s },
  { name: "sourceipaddress", type: s },
  { name: "useragent", type: s },
  { name: "errorcode", type: s },
  { name: "errormessage", type: s },
  {
    name: "requestparameters",
    type: "struct<backupvaultname:string,recoverypointarn:string,backupplanid:string,reportplanname:string,snstopicarn:string>",
  },
  { name: "responseelements", type: s },
  { name: "requestid", type: s },
  { name: "eventid", type: s },
  { name: "readonly", type: s },
  { name: "eventtype", type: s },
  { name: "recipientaccountid", type: s },
  {
    name: "serviceeventdetails",
    type: "struct<state:string,backupjobid:string,copyjobid:string,restorejobid:string,reportjobid:string,backupvaultname:string,resourcearn:string,resourcetype:string,recoverypointarn:string,statusmessage:string>",
  },
  { name: "sharedeventid", type: s },
];

/** Partition columns: account and Region (enum projections) and the delivery day (`yyyy/MM/dd`). */
export const TRAIL_PARTITION_KEYS: readonly TrailColumn[] = [
  { name: "account", type: s },
  { name: "region", type: s },
  { name: "timestamp", type: s },
];

export interface TrailLocation {
  readonly bucketName: string;
  /** Prefix above `AWSLogs/` ("" for the trail this project creates; Control Tower: the organization id). */
  readonly keyPrefix: string;
  /** Organization trail: files under `AWSLogs/<organization id>/<account>/`; null for an account trail. */
  readonly organizationId: string | null;
}

/** `s3://<bucket>/<prefix>/AWSLogs/[<org id>/]`: the folder above the account folders. */
export function trailLogsRoot(loc: TrailLocation): string {
  const prefix = loc.keyPrefix ? `${loc.keyPrefix}/` : "";
  const org = loc.organizationId ? `${loc.organizationId}/` : "";
  return `s3://${loc.bucketName}/${prefix}AWSLogs/${org}`;
}

/**
 * Partition projection: no partitions to add, ever. Accounts and Regions are enums (Athena needs the values;
 * a query reads only the listed ones), days a date range back `retentionDays` from today.
 */
export function trailProjectionParameters(
  loc: TrailLocation,
  accounts: readonly string[],
  regions: readonly string[],
  retentionDays: number,
): Record<string, string> {
  return {
    classification: "cloudtrail",
    "projection.enabled": "true",
    "projection.account.type": "enum",
    "projection.account.values": accounts.join(","),
    "projection.region.type": "enum",
    "projection.region.values": regions.join(","),
    "projection.timestamp.type": "date",
    "projection.timestamp.format": "yyyy/MM/dd",
    "projection.timestamp.range": `NOW-${retentionDays}DAYS,NOW`,
    "projection.timestamp.interval": "1",
    "projection.timestamp.interval.unit": "DAYS",
    "storage.location.template": `${trailLogsRoot(loc)}\${account}/CloudTrail/\${region}/\${timestamp}`,
  };
}

/** Hive classes of CloudTrail log files (Athena's documented CloudTrail table). */
export const TRAIL_TABLE_FORMAT = {
  inputFormat: "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
  outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
  serializationLibrary: "org.apache.hive.hcatalog.data.JsonSerDe",
} as const;
