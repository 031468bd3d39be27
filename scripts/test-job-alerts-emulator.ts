import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { jobEventPattern, type JobAlertState } from "../alerts/job-event-pattern";
import { PROJECT_ROOT } from "../app/project-root";
import { startEmulator, type Emulator } from "../rehearsal/emulator";
import { ensureTool } from "../rehearsal/tools";
import { JOB_ALERTS_OUTFILE } from "./bundle-job-alerts";

/**
 * `npm run test:emulator`: the job alerts' EventBridge path on the AWS API emulator (moto's server,
 * scripts/ensure-moto.sh), with AWS Backup events in the documented shapes (__tests__/fixtures/job-events/).
 *
 * 1. Pattern: for the default states and with COMPLETED, a bus with a rule created from jobEventPattern() and an
 *    SQS target; every sample event is put on the bus, and the set that reaches the queue must be exactly the
 *    cases.json expectation (moto.events.models.EventPattern evaluates the pattern, `$or` and `anything-but` too).
 * 2. Chain, from the synthesized example (cdktf.out: `npm run synth` first): the member account's rule and role as
 *    the StackSet template defines them, on its default bus; the central bus with the synthesized policy, rule and
 *    queue in the reports account; the real bundled formatter (lambdas/job-alerts/dist/index.js) run on the
 *    queue's messages as the event source mapping would hand them over, publishing to an SNS topic on the emulator;
 *    a queue subscribed to the topic receives what a subscriber would. A failed backup job gives one message with
 *    account, Region, resource and status message; a COMPLETED job gives none; twenty failures in one digest
 *    window give one message listing twenty.
 * Where the emulator differs from AWS (each probed, see withAccount): SQS targets receive the event without
 * `account`, and a bus-to-bus hop writes the receiving account and Region into the event (AWS keeps the source's;
 * this test keeps member and central bus in one Region). Exit 0: every assertion held; 1: one failed; 2: could
 * not run.
 */

const REGION = "us-east-1";
const MEMBER = "444455556666";
const CENTRAL = "222233334444";
const EVENTS_DIR = path.join(PROJECT_ROOT, "__tests__", "fixtures", "job-events");

interface Case {
  readonly file: string;
  readonly forwarded: boolean;
  readonly forwardedWithCompleted?: boolean;
}

let failures = 0;
function check(ok: boolean, what: string, detail = ""): void {
  process.stdout.write(`${ok ? "ok  " : "FAIL"} ${what}${detail ? `: ${detail}` : ""}\n`);
  if (!ok) failures += 1;
}

function fatal(message: string): never {
  process.stderr.write(`test:emulator: ${message}\n`);
  process.exit(2);
}

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

function clientConfig(emu: Emulator, credentials: Creds) {
  return { region: REGION, endpoint: emu.endpoint, credentials, requestHandler: { httpsAgent: emu.agent } };
}

async function actAs(emu: Emulator, account: string): Promise<Creds> {
  const sts = new STSClient(clientConfig(emu, { accessKeyId: "AKIAEMULATORTEST0001", secretAccessKey: "x" }));
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/emulator-test`, RoleSessionName: "job-alerts" }));
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) fatal(`no credentials for ${account}`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

function sample(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(EVENTS_DIR, file), "utf8")) as Record<string, unknown>;
}

/** PutEvents entry for a sample: what AWS Backup puts on the account's default bus (account and Region are the caller's). */
function entry(e: Record<string, unknown>, busName?: string) {
  return {
    Source: String(e.source),
    DetailType: String(e["detail-type"]),
    Detail: JSON.stringify(e.detail),
    Resources: (e.resources as string[]) ?? [],
    ...(busName ? { EventBusName: busName } : {}),
  };
}

async function putAll(eb: EventBridgeClient, entries: ReturnType<typeof entry>[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 10) {
    const out = await eb.send(new PutEventsCommand({ Entries: entries.slice(i, i + 10) }));
    if ((out.FailedEntryCount ?? 0) > 0) fatal(`PutEvents refused ${out.FailedEntryCount} entries: ${JSON.stringify(out.Entries)}`);
  }
}

async function queue(sqs: SQSClient, name: string): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl;
  if (!url) fatal(`no queue url for ${name}`);
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
  return { url, arn: attrs.Attributes?.QueueArn ?? fatal(`no ARN for ${name}`) };
}

/** Every message now in the queue (received and deleted), bodies in arrival order. */
async function drain(sqs: SQSClient, url: string): Promise<Array<{ messageId: string; body: string }>> {
  const out: Array<{ messageId: string; body: string }> = [];
  let empty = 0;
  while (empty < 2) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const msgs = r.Messages ?? [];
    if (msgs.length === 0) empty += 1;
    for (const m of msgs) {
      out.push({ messageId: m.MessageId ?? "", body: m.Body ?? "" });
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  return out;
}

function jobIdOf(e: Record<string, unknown>): string {
  const d = e.detail as Record<string, unknown>;
  return String(d.backupJobId ?? d.copyJobId ?? d.restoreJobId ?? d.backupVaultName);
}

/** Runs the bundled formatter in a fresh Node process (its AWS SDK sends to the emulator) on one SQS batch. */
function runFormatter(emu: Emulator, creds: Creds, topicArn: string, digest: number, records: Array<{ messageId: string; body: string }>): unknown {
  const sqsEvent = {
    Records: records.map((r) => ({ messageId: r.messageId, receiptHandle: "r", body: r.body, attributes: {}, messageAttributes: {}, md5OfBody: "", eventSource: "aws:sqs", eventSourceARN: "arn", awsRegion: REGION })),
  };
  const driver = `const { handler } = require(${JSON.stringify(JOB_ALERTS_OUTFILE)});
let input = ""; process.stdin.on("data", (c) => (input += c)).on("end", async () => {
  try { const out = await handler(JSON.parse(input), undefined); process.stdout.write("RESULT " + JSON.stringify(out) + "\\n"); }
  catch (e) { process.stdout.write("ERROR " + (e && e.message) + "\\n"); process.exit(1); } });`;
  const run = spawnSync(process.execPath, ["-e", driver], {
    input: JSON.stringify(sqsEvent),
    encoding: "utf8",
    env: {
      PATH: process.env.PATH ?? "",
      NODE_EXTRA_CA_CERTS: emu.caFile,
      AWS_ENDPOINT_URL: emu.endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      ...(creds.sessionToken ? { AWS_SESSION_TOKEN: creds.sessionToken } : {}),
      TOPIC_ARN: topicArn,
      LANDING_ZONE: "acme-prod",
      ACCOUNT_NAMES: JSON.stringify({ [MEMBER]: "workloads-prod" }),
      DIGEST_WINDOW_SECONDS: String(digest),
      POWERTOOLS_LOG_LEVEL: "WARN",
      POWERTOOLS_METRICS_NAMESPACE: "BackupAuditInsights",
      POWERTOOLS_SERVICE_NAME: "backup-audit-job-alerts",
    },
  });
  const line = run.stdout.split("\n").find((l) => l.startsWith("RESULT ") || l.startsWith("ERROR "));
  if (!line || line.startsWith("ERROR")) fatal(`the bundled formatter failed (exit ${run.status}): ${line ?? ""}\n${run.stderr}`);
  return JSON.parse(line.slice("RESULT ".length));
}

/** The synthesized example's pieces the chain is built from. */
function synthesized(): { template: Record<string, any>; centralPattern: string; busPolicy: string; busName: string } {
  const stacks = path.join(process.env.CDKTF_OUTDIR ?? path.join(PROJECT_ROOT, "cdktf.out"), "stacks");
  const read = (stack: string) => {
    const file = path.join(stacks, stack, "cdk.tf.json");
    if (!existsSync(file)) fatal(`${file} is missing: run \`npm run synth\` (the embedded example) first`);
    return JSON.parse(readFileSync(file, "utf8")) as { resource: Record<string, Record<string, Record<string, unknown>>> };
  };
  const members = read("acme-prod-job-alert-members");
  const analytics = read("acme-prod-analytics");
  const set = Object.values(members.resource.aws_cloudformation_stack_set)[0];
  const bus = Object.values(analytics.resource.aws_cloudwatch_event_bus)[0];
  const rule = Object.values(analytics.resource.aws_cloudwatch_event_rule).find((r) => String(r.name).endsWith("-to-queue"));
  const policy = Object.values(analytics.resource.aws_cloudwatch_event_bus_policy)[0];
  if (!set || !bus || !rule || !policy) fatal("the synthesized example has no job alerts (alerts.jobs.enabled in config/example.yaml?)");
  return { template: JSON.parse(String(set.template_body)), centralPattern: String(rule.event_pattern), busPolicy: String(policy.policy), busName: String(bus.name) };
}

/**
 * Emulator gap, probed on every message: moto 5.2.6 hands SQS targets the event without `account` (the default
 * input template of moto/events/utils.py has none; AWS delivers the whole event), and at a bus-to-bus hop it
 * writes the receiving account anyway. The test puts back the account AWS would deliver (the member's, where the
 * event was put) and fails once the emulator keeps `account` itself, so that this step is removed.
 */
function withAccount(messages: Array<{ messageId: string; body: string }>, account: string): Array<{ messageId: string; body: string }> {
  const missing = messages.filter((m) => !("account" in (JSON.parse(m.body) as object))).length;
  check(missing === messages.length, "emulator gap still occurs: SQS targets receive events without `account` (the test adds the member account)", `${missing} of ${messages.length}`);
  return messages.map((m) => ({ messageId: m.messageId, body: JSON.stringify({ ...(JSON.parse(m.body) as object), account }) }));
}

async function patternCheck(emu: Emulator, creds: Creds, cases: Case[], states: JobAlertState[], label: string, expect: (c: Case) => boolean): Promise<void> {
  const eb = new EventBridgeClient(clientConfig(emu, creds));
  const sqs = new SQSClient(clientConfig(emu, creds));
  const busName = `pattern-${label}`;
  await eb.send(new CreateEventBusCommand({ Name: busName }));
  const q = await queue(sqs, `pattern-${label}-hits`);
  await eb.send(new PutRuleCommand({ Name: "jobs", EventBusName: busName, EventPattern: JSON.stringify(jobEventPattern(["BACKUP", "COPY", "RESTORE"], states)) }));
  await eb.send(new PutTargetsCommand({ Rule: "jobs", EventBusName: busName, Targets: [{ Id: "q", Arn: q.arn }] }));
  await putAll(eb, cases.map((c) => entry(sample(c.file), busName)));
  const arrived = new Set((await drain(sqs, q.url)).map((m) => jobIdOf(JSON.parse(m.body) as Record<string, unknown>)));
  for (const c of cases) {
    const id = jobIdOf(sample(c.file));
    check(arrived.has(id) === expect(c), `pattern ${label}: ${c.file} ${expect(c) ? "reaches" : "does not reach"} the target`);
  }
}

async function main(): Promise<void> {
  if (!existsSync(JOB_ALERTS_OUTFILE)) fatal(`${JOB_ALERTS_OUTFILE} is missing: run \`npm run build\``);
  const { template, centralPattern, busPolicy, busName } = synthesized();
  const cases = (JSON.parse(readFileSync(path.join(EVENTS_DIR, "cases.json"), "utf8")) as { cases: Case[] }).cases;
  const moto = ensureTool("ensure-moto.sh");
  const dir = mkdtempSync(path.join(os.tmpdir(), "job-alerts-emulator-"));
  const emu = await startEmulator(moto, dir);
  try {
    const member = await actAs(emu, MEMBER);
    const central = await actAs(emu, CENTRAL);

    // 1. The pattern, default states and with COMPLETED.
    await patternCheck(emu, member, cases, ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"], "default", (c) => c.forwarded);
    await patternCheck(emu, member, cases, ["FAILED", "ABORTED", "EXPIRED", "PARTIAL", "COMPLETED"], "with-completed", (c) => c.forwarded || c.forwardedWithCompleted === true);

    // 2. The chain. Central (reports account): bus + synthesized policy, rule, queue; the alert topic and an inbox.
    const cEb = new EventBridgeClient(clientConfig(emu, central));
    const cSqs = new SQSClient(clientConfig(emu, central));
    const cSns = new SNSClient(clientConfig(emu, central));
    const busArn = (await cEb.send(new CreateEventBusCommand({ Name: busName }))).EventBusArn ?? fatal("no bus ARN");
    const policy = busPolicy.replace(/\$\{aws_cloudwatch_event_bus\.[^}]+\.arn\}/g, busArn);
    await cEb.send(new PutPermissionCommand({ EventBusName: busName, Policy: policy }));
    const alertQueue = await queue(cSqs, busName);
    await cEb.send(new PutRuleCommand({ Name: `${busName}-to-queue`, EventBusName: busName, EventPattern: centralPattern }));
    await cEb.send(new PutTargetsCommand({ Rule: `${busName}-to-queue`, EventBusName: busName, Targets: [{ Id: "formatter-queue", Arn: alertQueue.arn }] }));
    const topicArn = (await cSns.send(new CreateTopicCommand({ Name: "acme-prod-backup-audit-alarms" }))).TopicArn ?? fatal("no topic");
    const inbox = await queue(cSqs, "alert-inbox");
    await cSns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: inbox.arn }));

    // Member account: the template's role and rule, on the default bus.
    const forwardRule = template.Resources.ForwardRule.Properties;
    const forwardRole = template.Resources.ForwardRole.Properties;
    check(forwardRule.Targets[0].Arn === busArn, "the StackSet template targets the central bus", forwardRule.Targets[0].Arn);
    const mIam = new IAMClient(clientConfig(emu, member));
    const roleArn = (await mIam.send(new CreateRoleCommand({ RoleName: "job-alerts-forward", AssumeRolePolicyDocument: JSON.stringify(forwardRole.AssumeRolePolicyDocument) }))).Role?.Arn ?? fatal("no role");
    await mIam.send(new PutRolePolicyCommand({ RoleName: "job-alerts-forward", PolicyName: forwardRole.Policies[0].PolicyName, PolicyDocument: JSON.stringify(forwardRole.Policies[0].PolicyDocument) }));
    const mEb = new EventBridgeClient(clientConfig(emu, member));
    await mEb.send(new PutRuleCommand({ Name: forwardRule.Name, EventBusName: "default", EventPattern: JSON.stringify(forwardRule.EventPattern), State: forwardRule.State }));
    await mEb.send(new PutTargetsCommand({ Rule: forwardRule.Name, EventBusName: "default", Targets: [{ Id: forwardRule.Targets[0].Id, Arn: busArn, RoleArn: roleArn }] }));

    // A failed backup job and a completed one, as AWS Backup puts them on the member's default bus.
    await putAll(mEb, [entry(sample("backup-failed.json")), entry(sample("backup-completed.json"))]);
    const atCentral = await drain(cSqs, alertQueue.url);
    check(atCentral.length === 1, "member bus -> central bus -> queue: the failed job arrives, the COMPLETED one does not", `${atCentral.length} message(s)`);
    const forwarded = JSON.parse(atCentral[0]?.body ?? "{}") as Record<string, unknown>;
    check(jobIdOf(forwarded) === jobIdOf(sample("backup-failed.json")), "the queued event is the failed job", jobIdOf(forwarded));
    const batch = withAccount(atCentral, MEMBER);

    const result = runFormatter(emu, central, topicArn, 0, batch);
    check(JSON.stringify(result) === JSON.stringify({ batchItemFailures: [] }), "formatter (the bundle) on the queued event", JSON.stringify(result));
    const delivered = await drain(cSqs, inbox.url);
    check(delivered.length === 1, "one message on the topic for the failed job", `${delivered.length}`);
    const note = JSON.parse(delivered[0]?.body ?? "{}") as { Subject?: string; Message?: string };
    const text = note.Message ?? "";
    for (const [what, needle] of [
      ["account", `workloads-prod (${MEMBER})`],
      ["Region", `Region:         ${REGION}`],
      ["resource", "arn:aws:ec2:eu-west-1:444455556666:volume/vol-0a1b2c3d4e5f60718"],
      ["status message", "is not authorized to perform ec2:CreateSnapshot."],
    ] as const) {
      check(text.includes(needle), `the message names the ${what}`, needle);
    }
    process.stdout.write(`--- the message as a subscriber of the topic received it\nSubject: ${note.Subject}\n\n${text}\n---\n`);

    // Twenty failures inside one digest window: one message listing twenty.
    const base = sample("backup-failed.json");
    const storm = Array.from({ length: 20 }, (_, i) =>
      entry({ ...base, detail: { ...(base.detail as object), backupJobId: `storm-${String(i + 1).padStart(2, "0")}` } }),
    );
    await putAll(mEb, storm);
    const window = await drain(cSqs, alertQueue.url);
    check(window.length === 20, "twenty failures reach the central queue", `${window.length}`);
    const digestResult = runFormatter(emu, central, topicArn, 300, withAccount(window, MEMBER));
    check(JSON.stringify(digestResult) === JSON.stringify({ batchItemFailures: [] }), "formatter (bundle) digests the window", JSON.stringify(digestResult));
    const digests = await drain(cSqs, inbox.url);
    check(digests.length === 1, "one digest message for the window", `${digests.length}`);
    const digest = JSON.parse(digests[0]?.body ?? "{}") as { Subject?: string; Message?: string };
    const listed = (digest.Message ?? "").split("\n").filter((l) => /^\d+\. FAILED backup job storm-\d\d$/.test(l));
    check(listed.length === 20, "the digest lists twenty failed jobs", `${listed.length}; subject: ${digest.Subject}`);
  } finally {
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  if (failures > 0) {
    process.stderr.write(`test:emulator: ${failures} check(s) failed\n`);
    process.exit(1);
  }
  process.stdout.write("test:emulator: every check held\n");
}

main().catch((err: unknown) => fatal(err instanceof Error ? (err.stack ?? err.message) : String(err)));
