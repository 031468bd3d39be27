import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { CreateDatabaseCommand, CreateTableCommand, GetTableCommand, GlueClient } from "@aws-sdk/client-glue";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { PROJECT_ROOT } from "../app/project-root";
import { parseNamedQuery } from "../queries/catalog";
import { openLocalTrail } from "../queries/trail-logs";
import type { DataPathAccount } from "./data-path-target";
import type { DeployedNamedQuery } from "./deployed-analytics";
import { compareRows } from "./row-comparison";
import { fillParameters, ordersRows } from "./sql-parameters";
import { runTrino, type TrinoSession } from "./trino-client";

/**
 * The four trail queries on Trino. Trino has no CloudTrailInputFormat, so they run over an equivalent JSON table:
 * the deployed `cloudtrail_logs` Glue table copied — the same columns and types, the same partition keys and
 * projection (account and Region enums, `yyyy/MM/dd` days back from now), read with the OpenX JSON SerDe — over
 * the CloudTrail records of __tests__/fixtures/trail written one per line (JSON Lines, under the same
 * `AWSLogs/<org>/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/` layout). The local engine reads the fixture's
 * log files as delivered; both must give the same rows.
 */

export interface TrailCheck {
  readonly account: DataPathAccount;
  readonly session: TrinoSession;
  readonly trailQueries: readonly DeployedNamedQuery[];
  readonly trailTable: string;
  /** The bucket the JSON Lines copy of the records goes to, and the prefix above `AWSLogs/`. */
  readonly bucket: string;
  readonly prefix: string;
  readonly log: (line: string) => void;
}

export class TrailCheckFailure extends Error {}

const FIXTURE = path.join(PROJECT_ROOT, "__tests__", "fixtures", "trail");
const LOG_KEY = /AWSLogs\/(o-[a-z0-9]+)\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4}\/\d{2}\/\d{2})\/([^/]+)\.json$/;
const SINCE_DAY = "2026/11/01";

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const abs = path.join(dir, n);
    return statSync(abs).isDirectory() ? walk(abs) : [abs];
  });
}

export async function runTrailOnTrino(check: TrailCheck): Promise<void> {
  const { account, session, log } = check;
  const glue = new GlueClient(account.clientConfig);
  const s3 = new S3Client(account.clientConfig);
  const deployed = (await glue.send(new GetTableCommand({ DatabaseName: account.lz.analytics.databaseName, Name: check.trailTable }))).Table;
  if (!deployed?.StorageDescriptor?.Columns || !deployed.PartitionKeys || !deployed.Parameters) throw new TrailCheckFailure(`the deployed ${check.trailTable} has no columns, partition keys or parameters`);

  const accounts = new Set<string>();
  const regions = new Set<string>();
  let organization = "";
  let records = 0;
  for (const file of walk(FIXTURE)) {
    const match = LOG_KEY.exec(file.split(path.sep).join("/"));
    if (!match) continue;
    const [, org, acct, region, day, name] = match;
    organization = org ?? "";
    accounts.add(acct ?? "");
    regions.add(region ?? "");
    const list = (JSON.parse(readFileSync(file, "utf8")) as { Records: unknown[] }).Records;
    records += list.length;
    const key = `${check.prefix}/AWSLogs/${org}/${acct}/CloudTrail/${region}/${day}/${name}.jsonl`;
    await s3.send(new PutObjectCommand({ Bucket: check.bucket, Key: key, Body: `${list.map((r) => JSON.stringify(r)).join("\n")}\n` }));
  }
  if (records === 0) throw new TrailCheckFailure(`no CloudTrail records under ${FIXTURE}`);

  const database = session.schema;
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: database, Description: "test:e2e: the trail queries over a JSON table" } }));
  const root = `s3://${check.bucket}/${check.prefix}/AWSLogs/${organization}/`;
  await glue.send(new CreateTableCommand({
    DatabaseName: database,
    TableInput: {
      Name: check.trailTable,
      TableType: "EXTERNAL_TABLE",
      PartitionKeys: deployed.PartitionKeys,
      Parameters: {
        ...deployed.Parameters,
        "projection.account.values": [...accounts].sort().join(","),
        "projection.region.values": [...regions].sort().join(","),
        "storage.location.template": `${root}\${account}/CloudTrail/\${region}/\${timestamp}`,
      },
      StorageDescriptor: {
        Columns: deployed.StorageDescriptor.Columns,
        Location: root,
        InputFormat: "org.apache.hadoop.mapred.TextInputFormat",
        OutputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        SerdeInfo: { SerializationLibrary: "org.openx.data.jsonserde.JsonSerDe" },
      },
    },
  }));
  log(`trail: ${records} CloudTrail records of ${FIXTURE.slice(PROJECT_ROOT.length + 1)} as JSON Lines in s3://${check.bucket}/${check.prefix}/; Glue table ${database}.${check.trailTable}: the deployed table's ${deployed.StorageDescriptor.Columns.length} columns (${deployed.StorageDescriptor.Columns.filter((c) => c.Type?.startsWith("struct")).map((c) => c.Name).join(", ")} as structs) and projection, OpenX JSON SerDe`);

  const local = await openLocalTrail(FIXTURE);
  try {
    const differing: string[] = [];
    let nonEmpty = 0;
    for (const q of check.trailQueries) {
      const query = parseNamedQuery(q.queryString, `${q.name} (deployed)`, [check.trailTable]);
      const params = query.params.map(() => SINCE_DAY);
      const localRows = await local.run(query, params);
      const columns = localRows[0] ? Object.keys(localRows[0]) : [];
      const trino = await runTrino(session, fillParameters(query.sql, params));
      const cmp = compareRows({ columns: columns.length > 0 ? columns : trino.columns.map((c) => c.name), rows: localRows }, trino, ordersRows(query.sql));
      log(`trail: named ${q.name}(${params.join(", ")}): Trino ${trino.rows.length} rows, local ${localRows.length} rows${cmp.equal ? ", equal" : ", DIFFERENT"}`);
      if (!cmp.equal) differing.push(`${q.name}:\n    ${cmp.differences.join("\n    ")}`);
      if (localRows.length > 0) nonEmpty++;
      else differing.push(`${q.name}: no rows on the trail records (it proves little)`);
    }
    if (differing.length > 0) throw new TrailCheckFailure(`trail queries, Trino against the local engine:\n  ${differing.join("\n  ")}`);
    log(`trail: all ${nonEmpty} trail queries returned the same rows on Trino (JSON table) and locally`);
  } finally {
    local.close();
  }
}
