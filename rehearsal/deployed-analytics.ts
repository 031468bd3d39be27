import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { AthenaClient, GetNamedQueryCommand, ListNamedQueriesCommand } from "@aws-sdk/client-athena";
import { BackupClient, DescribeReportPlanCommand, ListReportPlansCommand } from "@aws-sdk/client-backup";
import { DescribeRuleCommand, EventBridgeClient, ListRulesCommand } from "@aws-sdk/client-eventbridge";
import { GetFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { unzipSync } from "fflate";
import type { ReportTemplate } from "../reports/templates";
import type { DataPathAccount } from "./data-path-target";

/**
 * What the data path runs through, read back from the emulator's APIs as Terraform left it: the report plans
 * (AWS Backup: where reports are delivered), the partitioner function (Lambda: its package and environment), the
 * rule that routes `Object Created` events to it (EventBridge) and the named queries (Athena).
 */

export interface DeployedReportPlan {
  readonly name: string;
  readonly template: ReportTemplate;
  readonly bucket: string;
  /** S3 key prefix without a trailing slash ("" when the plan sets none). */
  readonly keyPrefix: string;
}

export interface DeployedPartitioner {
  readonly functionName: string;
  readonly handler: string;
  readonly runtime: string;
  /** The execution role's ARN. */
  readonly role: string;
  readonly environment: Readonly<Record<string, string>>;
  /** `index.js` of the package whose SHA-256 the Lambda API reports. */
  readonly files: Readonly<Record<string, Uint8Array>>;
}

export interface DeployedNamedQuery {
  readonly name: string;
  readonly database: string;
  readonly queryString: string;
}

export interface DeployedAnalytics {
  readonly plans: readonly DeployedReportPlan[];
  readonly partitioner: DeployedPartitioner;
  readonly eventPattern: string;
  readonly namedQueries: readonly DeployedNamedQuery[];
}

export class DeploymentReadError extends Error {}

/** The partitioner function's construct path below its stack (stacks/analytics-stack.ts: `partitioner`). */
const PARTITIONER_CONSTRUCT_PATH = "partitioner/function";

export async function readReportPlans(account: DataPathAccount): Promise<DeployedReportPlan[]> {
  const backup = new BackupClient(account.clientConfig);
  const listed = (await backup.send(new ListReportPlansCommand({}))).ReportPlans ?? [];
  const plans: DeployedReportPlan[] = [];
  for (const p of listed) {
    const plan = (await backup.send(new DescribeReportPlanCommand({ ReportPlanName: p.ReportPlanName }))).ReportPlan;
    const channel = plan?.ReportDeliveryChannel;
    const template = plan?.ReportSetting?.ReportTemplate;
    if (!plan?.ReportPlanName || !channel?.S3BucketName || !template) {
      throw new DeploymentReadError(`report plan ${p.ReportPlanName}: no name, bucket or template in DescribeReportPlan`);
    }
    plans.push({ name: plan.ReportPlanName, template: template as ReportTemplate, bucket: channel.S3BucketName, keyPrefix: (channel.S3KeyPrefix ?? "").replace(/\/+$/, "") });
  }
  return plans.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The partitioner as deployed. The emulator's GetFunction answers with the configuration and the package's
 * SHA-256 but serves no download at `Code.Location` (a URL under amazonaws.com); so the package is the file the
 * Terraform workspace uploaded, accepted only when its SHA-256 is the one the Lambda API reports.
 */
export async function readPartitioner(account: DataPathAccount, analyticsDir: string): Promise<DeployedPartitioner> {
  const tf = JSON.parse(readFileSync(path.join(analyticsDir, "cdk.tf.json"), "utf8")) as {
    resource?: { aws_lambda_function?: Record<string, { function_name?: string; filename?: string; "//"?: { metadata?: { path?: string } } }> };
  };
  // The analytics stack has more functions (the job alerts' formatter): the partitioner is the construct's.
  const functions = Object.values(tf.resource?.aws_lambda_function ?? {}).filter((f) => f["//"]?.metadata?.path?.endsWith(`/${PARTITIONER_CONSTRUCT_PATH}`));
  if (functions.length !== 1 || !functions[0]?.function_name || !functions[0].filename) {
    throw new DeploymentReadError(`${analyticsDir}/cdk.tf.json: expected one aws_lambda_function at …/${PARTITIONER_CONSTRUCT_PATH} with function_name and filename`);
  }
  const name = functions[0].function_name;
  const lambda = new LambdaClient(account.clientConfig);
  const fn = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
  const config = fn.Configuration;
  if (!config?.CodeSha256 || !config.Handler || !config.Runtime || !config.Role) throw new DeploymentReadError(`GetFunction ${name}: no CodeSha256, Handler, Runtime or Role`);
  const zipFile = path.resolve(analyticsDir, functions[0].filename);
  const zip = readFileSync(zipFile);
  const sha = createHash("sha256").update(zip).digest("base64");
  if (sha !== config.CodeSha256) {
    throw new DeploymentReadError(`${zipFile}: SHA-256 ${sha} is not the deployed package's ${config.CodeSha256} (GetFunction ${name})`);
  }
  return {
    functionName: name,
    handler: config.Handler,
    runtime: config.Runtime,
    role: config.Role,
    environment: config.Environment?.Variables ?? {},
    files: unzipSync(new Uint8Array(zip)),
  };
}

/** The event pattern of the rule whose target is the partitioner. */
export async function readPartitionerRule(account: DataPathAccount, functionName: string): Promise<string> {
  const events = new EventBridgeClient(account.clientConfig);
  const rules = (await events.send(new ListRulesCommand({}))).Rules ?? [];
  const matching = rules.filter((r) => r.Name?.includes("partitioner") || r.Description?.includes(functionName));
  for (const r of matching.length > 0 ? matching : rules) {
    const rule = await events.send(new DescribeRuleCommand({ Name: r.Name }));
    if (rule.EventPattern?.includes("Object Created")) return rule.EventPattern;
  }
  throw new DeploymentReadError(`no EventBridge rule with an "Object Created" pattern (rules: ${rules.map((r) => r.Name).join(", ") || "none"})`);
}

export async function readNamedQueries(account: DataPathAccount, workgroup: string): Promise<DeployedNamedQuery[]> {
  const athena = new AthenaClient(account.clientConfig);
  const ids: string[] = [];
  let next: string | undefined;
  do {
    const page = await athena.send(new ListNamedQueriesCommand({ WorkGroup: workgroup, NextToken: next }));
    ids.push(...(page.NamedQueryIds ?? []));
    next = page.NextToken;
  } while (next);
  const queries: DeployedNamedQuery[] = [];
  // One GetNamedQuery per id: the emulator has no BatchGetNamedQuery.
  for (const id of ids) {
    const q = (await athena.send(new GetNamedQueryCommand({ NamedQueryId: id }))).NamedQuery;
    if (!q?.Name || !q.QueryString || !q.Database) throw new DeploymentReadError(`named query ${id}: no name, database or SQL`);
    queries.push({ name: q.Name, database: q.Database, queryString: q.QueryString });
  }
  return queries.sort((a, b) => a.name.localeCompare(b.name));
}
