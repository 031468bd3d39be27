import { readFileSync } from "node:fs";
import path from "node:path";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { mockClient } from "aws-sdk-client-mock";
import type { SQSEvent } from "aws-lambda";
import { chatbotNotification, perProtocolMessage } from "../alerts/chatbot-message";
import { DIGEST_MAX_LISTED, formatDigest } from "../alerts/digest";
import { formatJobAlert, snsSubject } from "../alerts/format-message";
import { cleanStatusMessage, parseJobEvent, type JobAlert } from "../alerts/job-alert";
import { parseSilenceRules, silencedBy } from "../alerts/silence";
import { configFromEnv } from "../lambdas/job-alerts/config";
import { createHandler } from "../lambdas/job-alerts/handler";

const EVENTS = path.join(__dirname, "fixtures", "job-events");
const ctx = { landingZone: "acme-prod", accountNames: { "444455556666": "workloads-prod" } };
const TOPIC = "arn:aws:sns:us-east-1:222233334444:acme-prod-backup-audit-alarms";

function event(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(EVENTS, `${name}.json`), "utf8")) as Record<string, unknown>;
}

function alertOf(name: string): JobAlert {
  const parsed = parseJobEvent(event(name));
  if (!parsed.ok) throw new Error(`${name}: ${parsed.reason}`);
  return parsed.alert;
}

describe("job alert messages from AWS Backup's documented event shapes", () => {
  it("a failed backup job: account name and id, Region, job, resource, state, unquoted status message, console link", () => {
    const m = formatJobAlert(alertOf("backup-failed"), ctx);
    expect(m.subject).toBe("[acme-prod] Backup job FAILED: workloads-prod (444455556666) eu-west-1");
    expect(m.body).toBe(
      [
        "AWS Backup backup job FAILED in workloads-prod (444455556666), eu-west-1",
        "",
        "Account:        workloads-prod (444455556666)",
        "Region:         eu-west-1",
        "Job:            Backup job 8e1c4d2a-3b5f-4a6e-9c7d-1f2e3a4b5c6d",
        "Resource:       arn:aws:ec2:eu-west-1:444455556666:volume/vol-0a1b2c3d4e5f60718 (EBS)",
        "State:          FAILED",
        "Status message: Backup job failed because the IAM role arn:aws:iam::444455556666:role/service-role/AWSBackupDefaultServiceRole is not authorized to perform ec2:CreateSnapshot.",
        "Time:           2026-12-06T02:00:07Z",
        "Console:        https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/8e1c4d2a-3b5f-4a6e-9c7d-1f2e3a4b5c6d",
        "(the link opens the job when you are signed in to account 444455556666)",
        "",
        "Landing zone acme-prod: backup job alerts (backup-audit-insights).",
      ].join("\n"),
    );
  });

  it("an expired backup job of an unnamed account: the id alone", () => {
    const m = formatJobAlert(alertOf("backup-expired"), ctx);
    expect(m.subject).toBe("[acme-prod] Backup job EXPIRED: 555566667777 eu-central-1");
    expect(m.body.split("\n").slice(0, 9)).toEqual([
      "AWS Backup backup job EXPIRED in 555566667777, eu-central-1",
      "",
      "Account:        555566667777",
      "Region:         eu-central-1",
      "Job:            Backup job 2D4F6A8C-0E1B-3D5F-7A9C-BE0D2F4A6C8E",
      "Resource:       arn:aws:rds:eu-central-1:555566667777:db:orders-staging (RDS)",
      "State:          EXPIRED",
      "Status message: Backup job failed because there was a running job for the same resource.",
      "Time:           2026-12-06T05:02:41Z",
    ]);
  });

  it("a partial copy job links to the copy job's page", () => {
    const m = formatJobAlert(alertOf("copy-partial"), ctx);
    expect(m.subject).toBe("[acme-prod] Copy job PARTIAL: workloads-prod (444455556666) us-east-1");
    const lines = m.body.split("\n");
    expect(lines[4]).toBe("Job:            Copy job 91B7E3A5-C1D9-4F27-8B6D-E4A2C0F8B6D4");
    expect(lines[5]).toBe("Resource:       arn:aws:ec2:us-east-1:444455556666:instance/i-0123456789abcdef0 (EC2)");
    expect(lines[7]).toBe("Status message: The copy of 1 of 3 volumes failed: the destination vault's key is not usable (KMS key disabled).");
    expect(lines[9]).toBe(
      "Console:        https://us-east-1.console.aws.amazon.com/backup/home?region=us-east-1#/jobs/copy/details/91B7E3A5-C1D9-4F27-8B6D-E4A2C0F8B6D4",
    );
  });

  it("a failed restore job reads `status` and names the recovery point when no source resource is given", () => {
    const a = alertOf("restore-failed");
    expect(a.state).toBe("FAILED");
    const m = formatJobAlert(a, ctx);
    expect(m.subject).toBe("[acme-prod] Restore job FAILED: 555566667777 us-east-1");
    const lines = m.body.split("\n");
    expect(lines[4]).toBe("Job:            Restore job 3A5C7E9B-1D2F-4A6C-8E0B-2D4F6A8C0E1B");
    expect(lines[5]).toBe("Recovery point: arn:aws:ec2:us-east-1::image/ami-0a9b8c7d6e5f43210 (EC2)");
    expect(lines[7]).toBe("Status message: The subnet subnet-0abc1234 named in the restore metadata does not exist in this account.");
  });

  it("refuses events that are not job state changes, with the reason", () => {
    expect(parseJobEvent(event("vault-created"))).toEqual({ ok: false, reason: 'detail-type "Backup Vault State Change" is not a job state change' });
    expect(parseJobEvent({ source: "aws.s3" })).toEqual({ ok: false, reason: 'source "aws.s3" is not aws.backup' });
    expect(parseJobEvent("text")).toEqual({ ok: false, reason: "not an object" });
  });

  it("strips one pair of quotes from status messages and keeps SNS subjects within 100 ASCII characters", () => {
    expect(cleanStatusMessage('"quoted"')).toBe("quoted");
    expect(cleanStatusMessage("")).toBeNull();
    expect(cleanStatusMessage('""')).toBeNull();
    const long = snsSubject(`[lz] ${"x".repeat(200)}\nä`);
    expect(long).toHaveLength(100);
    expect(long.endsWith("...")).toBe(true);
    expect(snsSubject("a\nb ä")).toBe("a b ?");
  });
});

/** Twenty failures spread over one window: accounts, Regions and job kinds alternate. */
function twentyFailures(): JobAlert[] {
  const failed = alertOf("backup-failed");
  const copy = alertOf("copy-partial");
  return Array.from({ length: 20 }, (_, i) => {
    const base = i % 4 === 3 ? copy : failed;
    return {
      ...base,
      eventId: `evt-${i}`,
      jobId: `job-${String(i + 1).padStart(2, "0")}`,
      account: i % 2 === 0 ? "444455556666" : "555566667777",
      time: `2026-12-06T02:0${Math.floor(i / 5)}:${String(10 + i).padStart(2, "0")}Z`,
      resource: `arn:aws:ec2:eu-west-1:444455556666:volume/vol-${String(i).padStart(17, "0")}`,
    };
  });
}

describe("digest", () => {
  it("twenty failures in one window give one message listing all twenty, with counts by state", () => {
    const m = formatDigest(twentyFailures(), ctx, 300);
    expect(m.subject).toBe("[acme-prod] 20 AWS Backup job alerts (FAILED 15, PARTIAL 5)");
    const lines = m.body.split("\n");
    expect(lines[0]).toBe("20 AWS Backup job alerts in 2 accounts, 2026-12-06T02:00:10Z to 2026-12-06T02:03:29Z (digest window 300 s)");
    expect(lines[1]).toBe("States: FAILED 15, PARTIAL 5");
    const entries = lines.filter((l) => /^\d+\. /.test(l));
    expect(entries).toHaveLength(20);
    expect(entries[0]).toBe("1. FAILED backup job job-01");
    expect(entries[3]).toBe("4. PARTIAL copy job job-04");
    expect(entries[19]).toBe("20. PARTIAL copy job job-20");
    expect(lines.slice(2, 9)).toEqual([
      "",
      "1. FAILED backup job job-01",
      "   workloads-prod (444455556666), eu-west-1, 2026-12-06T02:00:10Z",
      "   arn:aws:ec2:eu-west-1:444455556666:volume/vol-00000000000000000",
      "   Backup job failed because the IAM role arn:aws:iam::444455556666:role/service-role/AWSBackupDefaultServiceRole is not authorized to perform ec2:CreateSnapshot.",
      "   https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/job-01",
      "",
    ]);
    expect(m.body).not.toContain("more, not listed");
  });

  it("counts a duplicate delivery once and lists at most DIGEST_MAX_LISTED jobs", () => {
    const many = Array.from({ length: DIGEST_MAX_LISTED + 5 }, (_, i) => ({ ...alertOf("backup-failed"), eventId: `e${i}`, jobId: `j${i}` }));
    const m = formatDigest([...many, many[0]], ctx, 60);
    expect(m.subject).toBe(`[acme-prod] ${DIGEST_MAX_LISTED + 5} AWS Backup job alerts (FAILED ${DIGEST_MAX_LISTED + 5})`);
    expect(m.body.split("\n").filter((l) => /^\d+\. /.test(l))).toHaveLength(DIGEST_MAX_LISTED);
    expect(m.body).toContain("... and 5 more, not listed (same window).");
  });
});

describe("job-alerts handler (SQS batch -> SNS)", () => {
  const sns = mockClient(SNSClient);
  afterEach(() => sns.reset());

  function sqsEvent(bodies: unknown[]): SQSEvent {
    return {
      Records: bodies.map((b, i) => ({
        messageId: `m${i}`,
        receiptHandle: `r${i}`,
        body: typeof b === "string" ? b : JSON.stringify(b),
        attributes: {} as SQSEvent["Records"][number]["attributes"],
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:us-east-1:222233334444:acme-prod-backup-job-alerts",
        awsRegion: "us-east-1",
      })),
    };
  }

  function handlerWith(env: Record<string, string>) {
    const logger = new Logger({ serviceName: "test", logLevel: "SILENT" });
    const metrics = new Metrics({ namespace: "BackupAuditInsights", serviceName: "test" });
    const config = configFromEnv({ TOPIC_ARN: TOPIC, LANDING_ZONE: "acme-prod", ACCOUNT_NAMES: JSON.stringify(ctx.accountNames), ...env });
    return createHandler({ sns: new SNSClient({ region: "us-east-1" }), logger, metrics, config });
  }

  it("publishes one message per job without a digest window, and drops foreign messages", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "x" });
    const result = await handlerWith({})(sqsEvent([event("backup-failed"), event("restore-failed"), event("vault-created"), "not json"]));
    expect(result).toEqual({ batchItemFailures: [] });
    const calls = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Subject)).toEqual([
      "[acme-prod] Backup job FAILED: workloads-prod (444455556666) eu-west-1",
      "[acme-prod] Restore job FAILED: 555566667777 us-east-1",
    ]);
    expect(calls[0].TopicArn).toBe(TOPIC);
    expect(calls[0].Message).toBe(formatJobAlert(alertOf("backup-failed"), ctx).body);
    expect(calls[0].MessageStructure).toBeUndefined();
  });

  it("returns the records it could not publish as batch item failures", async () => {
    sns.on(PublishCommand).rejectsOnce(new Error("KMS AccessDenied")).resolves({ MessageId: "x" });
    const result = await handlerWith({})(sqsEvent([event("backup-failed"), event("copy-partial")]));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: "m0" }] });
  });

  it("publishes one digest for a batch of twenty failures with a digest window", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "x" });
    const bodies = twentyFailures().map((a) => ({
      ...event(a.jobType === "COPY" ? "copy-partial" : "backup-failed"),
      id: a.eventId,
      account: a.account,
      time: a.time,
      detail: { ...(event(a.jobType === "COPY" ? "copy-partial" : "backup-failed").detail as object), [a.jobType === "COPY" ? "copyJobId" : "backupJobId"]: a.jobId, resourceArn: a.resource },
    }));
    const result = await handlerWith({ DIGEST_WINDOW_SECONDS: "300" })(sqsEvent(bodies));
    expect(result).toEqual({ batchItemFailures: [] });
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input.Subject).toBe("[acme-prod] 20 AWS Backup job alerts (FAILED 15, PARTIAL 5)");
    expect(input.Message).toBe(formatDigest(twentyFailures(), ctx, 300).body);
  });

  it("with a Slack channel publishes Chatbot's custom notification by default and the text to email", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "x" });
    await handlerWith({ CHAT_FORMAT: "slack" })(sqsEvent([event("backup-failed")]));
    const input = sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(input.MessageStructure).toBe("json");
    const message = formatJobAlert(alertOf("backup-failed"), ctx);
    expect(JSON.parse(input.Message ?? "")).toEqual({ default: chatbotNotification(message), email: message.body });
    expect(JSON.parse(chatbotNotification(message))).toEqual({
      version: "1.0",
      source: "custom",
      content: { textType: "client-markdown", title: message.subject, description: "```\n" + message.body + "\n```" },
    });
    expect(perProtocolMessage(message)).toBe(input.Message);
  });

  it("refuses a misconfigured environment", () => {
    expect(() => configFromEnv({ LANDING_ZONE: "x" })).toThrow("TOPIC_ARN is not an SNS topic ARN: undefined");
    expect(() => configFromEnv({ TOPIC_ARN: TOPIC, LANDING_ZONE: "x", DIGEST_WINDOW_SECONDS: "-1" })).toThrow("DIGEST_WINDOW_SECONDS");
    expect(() => configFromEnv({ TOPIC_ARN: TOPIC, LANDING_ZONE: "x", ACCOUNT_NAMES: "[1]" })).toThrow("ACCOUNT_NAMES");
  });
});

describe("silencing a known failure", () => {
  const rules = [
    { resourceArn: "arn:aws:ec2:eu-west-1:444455556666:volume/vol-0a1b2c3d4e5f60718", until: "2026-12-31", reason: "OPS-42: role fixed in January" },
    { account: "555566667777", until: "2026-12-01", reason: "staging rebuilt (expired)" },
  ];

  it("silences the named resource through its last day, and no longer after", () => {
    const failed = alertOf("backup-failed");
    expect(silencedBy(failed, rules, new Date("2026-12-31T23:59:59Z"))?.reason).toBe("OPS-42: role fixed in January");
    expect(silencedBy(failed, rules, new Date("2027-01-01T00:00:00Z"))).toBeNull();
    expect(silencedBy(alertOf("copy-partial"), rules, new Date("2026-12-06T00:00:00Z"))).toBeNull();
    expect(silencedBy(alertOf("backup-expired"), rules, new Date("2026-12-06T00:00:00Z"))).toBeNull();
  });

  it("the handler drops silenced alerts and publishes the rest", async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: "x" });
    const logger = new Logger({ serviceName: "test", logLevel: "SILENT" });
    const metrics = new Metrics({ namespace: "BackupAuditInsights", serviceName: "test" });
    const config = configFromEnv({ TOPIC_ARN: TOPIC, LANDING_ZONE: "acme-prod", SILENCE: JSON.stringify(rules) });
    const handler = createHandler({ sns: new SNSClient({ region: "us-east-1" }), logger, metrics, config, now: () => new Date("2026-12-06T02:00:00Z") });
    const records = [event("backup-failed"), event("copy-partial")].map((b, i) => ({ messageId: `m${i}`, body: JSON.stringify(b) }));
    await handler({ Records: records } as SQSEvent);
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject)).toEqual(["[acme-prod] Copy job PARTIAL: 444455556666 us-east-1"]);
    sns.restore();
  });

  it("refuses a malformed SILENCE", () => {
    expect(() => parseSilenceRules('[{"until":"2027-01-01","reason":"x"}]')).toThrow("SILENCE[0] names neither resourceArn nor account");
    expect(() => parseSilenceRules('[{"account":"1","until":"soon","reason":"x"}]')).toThrow("SILENCE[0] needs until (YYYY-MM-DD) and reason");
  });
});
