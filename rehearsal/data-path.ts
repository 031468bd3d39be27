import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, S3Client, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { PROJECT_ROOT } from "../app/project-root";
import { reportQueriesDir } from "../dashboard/data";
import { loadNamedQueries, parseNamedQuery, type NamedQuery } from "../queries/catalog";
import { openLocalReports, type LocalReports, type QueryResult } from "../queries/local-engine";
import { TRAIL_TABLE_NAME } from "../queries/trail-table";
import { reportsAccount, type DataPathAccount, type DataPathTarget } from "./data-path-target";
import { readNamedQueries, readPartitioner, readPartitionerRule, readReportPlans, type DeployedPartitioner } from "./deployed-analytics";
import { buildDatasets, type Dataset } from "./e2e-datasets";
import { matchEventPattern } from "./event-pattern-match";
import { objectCreatedEvent } from "./object-created-event";
import type { Credentials } from "./organization-seed";
import { deliveriesFor, type Delivery } from "./report-deliveries";
import { runChild } from "./child-process";
import { compareRows } from "./row-comparison";
import { fillParameters, ordersRows } from "./sql-parameters";
import { runTrailOnTrino, TrailCheckFailure } from "./trail-on-trino";
import { GapGoneError, withoutTlsOnlyDeny } from "./tls-deny-gap";
import { runTrino, TrinoQueryError, type TrinoResult, type TrinoSession } from "./trino-client";
import type { TrinoInstall } from "./trino-install";
import { startTrino, type TrinoServer } from "./trino-server";

/**
 * The data path on the applied landing zone, dataset by dataset (rehearsal/e2e-datasets.ts):
 *   1. the dataset's report CSVs put into the reports bucket under the deployed report plans' key prefixes;
 *   2. for each object the EventBridge "Object Created" event, which must match the deployed rule's pattern,
 *      handed to the deployed partitioner (its package and environment as the Lambda API reports them) in a
 *      process whose AWS SDK reaches the emulator: every report must be normalised into the bucket;
 *   3. `backup-audit backfill --config <rehearsed config>` against the emulator must find nothing to do;
 *   4. every deployed named query (from Athena's API, parameters filled) and every queries/report/*.sql on Trino
 *      over the deployed Glue tables, and on the local engine over the raw files synced back from the bucket:
 *      the same columns and rows. Each query must return rows on at least one dataset.
 * Then the trail queries on Trino over a JSON table of CloudTrail records (rehearsal/trail-on-trino.ts).
 */

export class DataPathFailure extends Error {}

interface QueryToRun {
  readonly label: string;
  readonly query: NamedQuery;
}

/** Candidate values of each parameter, tried in order: the first that gives rows locally is used on both engines. */
function candidates(param: string, dataset: Dataset): string[] {
  switch (param) {
    case "region":
      return ["us-east-1", "eu-west-1", "us-west-2", "eu-central-1", "ap-southeast-2"];
    case "ou_id":
      return ["ou-ab12-prod1111", "ou-ab12-prod1", "ou-ab12-dev0", "r-ab12"];
    case "control_name":
      return ["BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", "BACKUP_LAST_RECOVERY_POINT_CREATED", "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", "BACKUP_RECOVERY_POINT_ENCRYPTED"];
    case "from_day":
      return [dataset.firstDay];
    case "to_day":
      return [dataset.lastDay];
    case "top_n":
      return ["5"];
    default:
      throw new DataPathFailure(`no test value for parameter ${param}`);
  }
}

async function chooseParams(local: LocalReports, query: NamedQuery, dataset: Dataset): Promise<{ params: string[]; result: QueryResult }> {
  const lists = query.params.map((p) => candidates(p.name, dataset));
  const varying = lists.findIndex((l) => l.length > 1);
  const base = lists.map((l) => l[0] ?? "");
  if (varying < 0) return { params: base, result: await local.query(query, base) };
  let first: { params: string[]; result: QueryResult } | undefined;
  for (const value of lists[varying] ?? []) {
    const params = base.map((v, i) => (i === varying ? value : v));
    const result = await local.query(query, params);
    first ??= { params, result };
    if (result.rows.length > 0) return { params, result };
  }
  if (!first) throw new DataPathFailure(`${query.name}: no parameter values`);
  return first;
}

async function emptyBucket(s3: S3Client, bucket: string): Promise<number> {
  let deleted = 0;
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key ?? "" }));
    if (keys.length === 0) continue;
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
    if (out.Errors?.length) throw new DataPathFailure(`emptying ${bucket}: ${out.Errors.map((e) => `${e.Key}: ${e.Code} ${e.Message}`).join("; ")}`);
    deleted += keys.length;
  }
  return deleted;
}

async function listKeys(s3: S3Client, bucket: string, prefix = ""): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ""));
  return keys;
}

/**
 * AWS Backup's reports service-linked role, which writes the reports into the bucket. AWS creates it with the
 * account's first report plan; the emulator's Backup does not, and its CreateServiceLinkedRole names the role
 * differently, so the test creates the role at the ARN the bucket policy names.
 */
async function reportsServiceRole(account: DataPathAccount): Promise<string> {
  const iam = new IAMClient(account.clientConfig);
  const name = "AWSServiceRoleForBackupReports";
  const existing = await iam.send(new GetRoleCommand({ RoleName: name })).then((r) => r.Role?.Arn, () => undefined);
  if (existing) return existing;
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "reports.backup.amazonaws.com" }, Action: "sts:AssumeRole" }] };
  const made = await iam.send(new CreateRoleCommand({ RoleName: name, Path: "/aws-service-role/reports.backup.amazonaws.com/", AssumeRolePolicyDocument: JSON.stringify(trust) }));
  if (!made.Role?.Arn) throw new DataPathFailure("CreateRole returned no role");
  return made.Role.Arn;
}

/** Credentials of a role of the reports account (the function's execution role, AWS Backup's reports role). */
async function roleCredentials(account: DataPathAccount, roleArn: string): Promise<Credentials> {
  const sts = new STSClient(account.clientConfig);
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "partitioner" }))).Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new DataPathFailure(`the emulator returned no credentials for ${roleArn}`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

interface Invocation {
  readonly ok: boolean;
  readonly result?: { outcome?: string; key?: string; rows?: number; reason?: string; message?: string };
  readonly error?: string;
}

async function invokePartitioner(partitioner: DeployedPartitioner & { roleCredentials: Credentials }, account: DataPathAccount, events: unknown[], dir: string): Promise<Invocation[]> {
  const pkg = path.join(dir, "package");
  mkdirSync(pkg, { recursive: true });
  for (const [name, bytes] of Object.entries(partitioner.files)) writeFileSync(path.join(pkg, name), bytes);
  const eventsFile = path.join(dir, "events.json");
  const resultsFile = path.join(dir, "results.json");
  writeFileSync(eventsFile, JSON.stringify(events));
  const c = partitioner.roleCredentials;
  const run = await runChild(process.execPath, [path.join(__dirname, "partitioner-host.js"), pkg, partitioner.handler, eventsFile, resultsFile], {
    // A hung emulator must fail the run, not hold CI: the month's 180 files take about a minute.
    timeoutMs: 900_000,
    env: {
      PATH: process.env.PATH ?? "",
      ...partitioner.environment,
      AWS_REGION: account.clientConfig.region,
      AWS_DEFAULT_REGION: account.clientConfig.region,
      AWS_ACCESS_KEY_ID: c.accessKeyId,
      AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
      ...(c.sessionToken ? { AWS_SESSION_TOKEN: c.sessionToken } : {}),
      AWS_LAMBDA_FUNCTION_NAME: partitioner.functionName,
      // The SDK's documented endpoint variable: the handler's `new S3Client({})` reaches the emulator.
      AWS_ENDPOINT_URL_S3: account.target.endpoint,
      NODE_EXTRA_CA_CERTS: account.target.caFile,
    },
  });
  writeFileSync(path.join(dir, "partitioner.log"), `${run.stdout}\n${run.stderr}`);
  if (run.timedOut || run.status !== 0) {
    throw new DataPathFailure(`the deployed partitioner's host ${run.timedOut ? "did not finish in 15 min (is the emulator answering? see its log)" : `exited ${run.status}`}: ${run.stderr.slice(-3000)}`);
  }
  return JSON.parse(readFileSync(resultsFile, "utf8")) as Invocation[];
}

interface BackfillSummaryJson {
  readonly reportFiles: number;
  readonly alreadyNormalized: number;
  readonly normalized: number;
  readonly failures: readonly unknown[];
}

async function backfill(account: DataPathAccount): Promise<BackfillSummaryJson> {
  const c = account.credentials;
  const run = await runChild(process.execPath, [path.join(PROJECT_ROOT, "bin", "backup-audit.js"), "backfill", "--config", account.target.configFile, "--endpoint", account.target.endpoint, "--json"], {
    timeoutMs: 900_000,
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: c.accessKeyId,
      AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
      AWS_SESSION_TOKEN: c.sessionToken ?? "",
      AWS_REGION: account.clientConfig.region,
      NODE_EXTRA_CA_CERTS: account.target.caFile,
    },
  });
  if (run.timedOut || run.status !== 0) throw new DataPathFailure(`backup-audit backfill ${run.timedOut ? "did not finish in 15 min" : `exited ${run.status}`}: ${run.stderr.slice(-2000)}${run.stdout.slice(-2000)}`);
  const json = run.stdout.slice(run.stdout.indexOf("{"));
  const summaries = JSON.parse(json) as BackfillSummaryJson | BackfillSummaryJson[];
  const list = Array.isArray(summaries) ? summaries : [summaries];
  return list.reduce((a, s) => ({
    reportFiles: a.reportFiles + s.reportFiles,
    alreadyNormalized: a.alreadyNormalized + s.alreadyNormalized,
    normalized: a.normalized + s.normalized,
    failures: [...a.failures, ...s.failures],
  }), { reportFiles: 0, alreadyNormalized: 0, normalized: 0, failures: [] as unknown[] });
}

async function trinoUser(account: DataPathAccount): Promise<Credentials> {
  const iam = new IAMClient(account.clientConfig);
  const name = `e2e-trino-${Date.now()}`;
  await iam.send(new CreateUserCommand({ UserName: name }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey) throw new DataPathFailure("the emulator returned no access key for the Trino user");
  return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
}

async function runOnTrino(session: TrinoSession, sql: string, label: string): Promise<TrinoResult> {
  try {
    return await runTrino(session, sql);
  } catch (err) {
    if (err instanceof TrinoQueryError) throw new DataPathFailure(`${label} on Trino: ${err.message}`);
    throw err;
  }
}

export async function runDataPath(target: DataPathTarget, trino: TrinoInstall, dir: string, log: (line: string) => void): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const account = await reportsAccount(target);
  const { lz } = account;
  const bucket = lz.reports.bucketName;
  const s3 = new S3Client(account.clientConfig);

  // What was deployed, read back from the emulator's APIs.
  const plans = await readReportPlans(account);
  const partitioner = await readPartitioner(account, target.analyticsDir);
  const rulePattern = await readPartitionerRule(account, partitioner.functionName);
  const deployedQueries = await readNamedQueries(account, lz.analytics.workgroup);
  log(`deployed: ${plans.length} report plans (${plans.map((p) => `${p.name} → s3://${p.bucket}/${p.keyPrefix}/`).join(", ")}); partitioner ${partitioner.functionName} (${partitioner.runtime}, ${partitioner.handler}, env ${Object.keys(partitioner.environment).join(", ")}); ${deployedQueries.length} named queries`);
  for (const p of plans) if (p.bucket !== bucket) throw new DataPathFailure(`report plan ${p.name} delivers to ${p.bucket}, not the reports bucket ${bucket}`);

  const reportQueryNames = new Set(loadNamedQueries().map((q) => q.name));
  const namedToRun: QueryToRun[] = deployedQueries
    .filter((q) => !q.name.startsWith("trail_"))
    .map((q) => {
      if (q.database !== lz.analytics.databaseName) throw new DataPathFailure(`named query ${q.name} runs in ${q.database}, not ${lz.analytics.databaseName}`);
      return { label: `named ${q.name}`, query: parseNamedQuery(q.queryString, `${q.name} (deployed)`) };
    });
  const missing = [...reportQueryNames].filter((n) => !namedToRun.some((q) => q.query.name === n));
  if (missing.length > 0) throw new DataPathFailure(`named queries in queries/ but not deployed: ${missing.join(", ")}`);
  const reportQueries: QueryToRun[] = loadNamedQueries(reportQueriesDir()).map((q) => ({ label: `report ${q.name}`, query: q }));
  const trailQueries = deployedQueries.filter((q) => q.name.startsWith("trail_"));
  const allQueries = [...namedToRun, ...reportQueries];

  const datasets = buildDatasets(path.join(dir, "datasets"));
  const functionCreds = await roleCredentials(account, partitioner.role);
  const backupReportsRole = await reportsServiceRole(account);
  const delivery = new S3Client({ ...account.clientConfig, credentials: await roleCredentials(account, backupReportsRole) });
  let gap: Awaited<ReturnType<typeof withoutTlsOnlyDeny>>;
  try {
    gap = await withoutTlsOnlyDeny(s3, bucket);
    const sid = gap.sid;
    log(`emulator gap: its bucket policies refuse every object request under a TLS-only deny, also over TLS; the reports bucket's statement ${sid} is left out while the data path runs (probed: still refused)`);
  } catch (err) {
    if (err instanceof GapGoneError) throw new DataPathFailure(err.message);
    throw err;
  }

  const trinoCredentials = await trinoUser(account);
  const trinoStarted = Date.now();
  let server: TrinoServer | undefined;
  try {
    server = await startTrino(trino, { endpoint: target.endpoint, caFile: target.caFile, region: account.clientConfig.region, credentials: trinoCredentials }, path.join(dir, "trino"));
    log(`Trino up on ${server.url} in ${((Date.now() - trinoStarted) / 1000).toFixed(0)} s (Hive connector on the deployed Glue catalog; log ${server.logFile})`);
    const session: TrinoSession = { url: server.url, catalog: "hive", schema: lz.analytics.databaseName };
    const tables = await runOnTrino(session, "SHOW TABLES", "SHOW TABLES");
    log(`Trino sees the deployed Glue tables: ${tables.rows.map((r) => r[0]).join(", ")}`);

    const nonEmpty = new Map<string, string[]>(allQueries.map((q) => [q.label, []]));
    for (const dataset of datasets) {
      const started = Date.now();
      const removed = await emptyBucket(s3, bucket);
      const deliveries: Delivery[] = deliveriesFor(dataset.folder, plans);
      const events: unknown[] = [];
      for (const [i, d] of deliveries.entries()) {
        const put = await delivery.send(new PutObjectCommand({ Bucket: bucket, Key: d.key, Body: d.body, ACL: "bucket-owner-full-control" }));
        events.push(objectCreatedEvent({ account: lz.reports.accountId, region: account.clientConfig.region, bucket, key: d.key, size: d.body.length, etag: put.ETag ?? "", sequence: i + 1 }));
      }
      log(`${dataset.name}: ${deliveries.length} report files put into s3://${bucket}/ by ${backupReportsRole.split("/").pop()} (${removed} objects of the previous dataset removed first); e.g. ${deliveries[0]?.key}`);

      const matched = matchEventPattern(target.motoServer, rulePattern, events);
      const unmatched = deliveries.filter((_, i) => !matched[i]);
      if (unmatched.length > 0) throw new DataPathFailure(`the deployed rule's pattern ${rulePattern} does not match the events of ${unmatched.map((d) => d.key).join(", ")}`);
      const results = await invokePartitioner({ ...partitioner, roleCredentials: functionCreds }, account, events, path.join(dir, `partitioner-${dataset.name}`));
      const failed = results.map((r, i) => ({ r, d: deliveries[i] })).filter(({ r }) => !r.ok || r.result?.outcome !== "normalized");
      if (failed.length > 0) {
        throw new DataPathFailure(`${dataset.name}: the deployed partitioner did not normalise ${failed.length} of ${deliveries.length} files:\n${failed.slice(0, 5).map(({ r, d }) => `  ${d?.key}: ${r.error ?? JSON.stringify(r.result)}`).join("\n")}`);
      }
      const normalizedPrefix = partitioner.environment.NORMALIZED_PREFIX ?? "normalized";
      const copies = (await listKeys(s3, bucket, `${normalizedPrefix}/`)).filter((k) => k.endsWith(".json.gz"));
      const rows = results.reduce((n, r) => n + (r.result?.rows ?? 0), 0);
      log(`${dataset.name}: ${deliveries.length} events matched the deployed rule; the deployed partitioner normalised all ${deliveries.length} (${rows} rows; ${copies.length} copies under s3://${bucket}/${normalizedPrefix}/)`);
      if (copies.length !== deliveries.length) throw new DataPathFailure(`${dataset.name}: ${copies.length} normalised copies for ${deliveries.length} report files`);

      const bf = await backfill(account);
      if (bf.normalized !== 0 || bf.failures.length > 0 || bf.reportFiles !== deliveries.length || bf.alreadyNormalized !== deliveries.length) {
        throw new DataPathFailure(`${dataset.name}: backfill should find nothing to do, it found ${JSON.stringify(bf)}`);
      }
      log(`${dataset.name}: backup-audit backfill: ${bf.reportFiles} report files, all ${bf.alreadyNormalized} already normalised, nothing to do`);

      // The raw files as `aws s3 sync` would bring them back, for the local engine (it normalises them itself).
      const synced = path.join(dir, `${dataset.name}-bucket`);
      for (const key of (await listKeys(s3, bucket)).filter((k) => !k.startsWith(`${normalizedPrefix}/`))) {
        const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToByteArray();
        mkdirSync(path.dirname(path.join(synced, key)), { recursive: true });
        writeFileSync(path.join(synced, key), body ?? new Uint8Array());
      }
      const local = await openLocalReports(synced, { cacheDir: null, bucketCopies: false });
      try {
        const differing: string[] = [];
        for (const q of allQueries) {
          const { params, result } = await chooseParams(local, q.query, dataset);
          const trinoResult = await runOnTrino(session, fillParameters(q.query.sql, params), `${q.label} (${dataset.name})`);
          const cmp = compareRows(result, trinoResult, ordersRows(q.query.sql));
          log(`${dataset.name}: ${q.label}(${params.join(", ")}): Trino ${trinoResult.rows.length} rows, local ${result.rows.length} rows${cmp.equal ? ", equal" : ", DIFFERENT"}`);
          if (!cmp.equal) differing.push(`${q.label} (${dataset.name}):\n    ${cmp.differences.join("\n    ")}`);
          if (result.rows.length > 0 && cmp.equal) nonEmpty.get(q.label)?.push(dataset.name);
        }
        if (differing.length > 0) throw new DataPathFailure(`rows differ between Trino and the local engine:\n  ${differing.join("\n  ")}`);
      } finally {
        await local.close();
      }
      log(`${dataset.name}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    const empty = [...nonEmpty].filter(([, sets]) => sets.length === 0).map(([label]) => label);
    if (empty.length > 0) throw new DataPathFailure(`queries empty on every dataset (they prove little): ${empty.join(", ")}`);
    log(`every one of the ${allQueries.length} queries returned the same rows on Trino and locally, and rows on at least one dataset`);

    try {
      await runTrailOnTrino({ account, session: { ...session, schema: `e2e_trail_${Date.now()}` }, trailQueries, trailTable: TRAIL_TABLE_NAME, bucket, prefix: "e2e-trail", log });
    } catch (err) {
      if (err instanceof TrailCheckFailure || err instanceof TrinoQueryError) throw new DataPathFailure(err.message);
      throw err;
    }
  } finally {
    await server?.stop();
    await gap.restore();
  }
}
