import { Construct } from "constructs";
import { AssetType, Fn, TerraformAsset } from "cdktf";
import { CloudwatchEventArchive } from "@cdktf/provider-aws/lib/cloudwatch-event-archive";
import { CloudwatchEventBus } from "@cdktf/provider-aws/lib/cloudwatch-event-bus";
import { CloudwatchEventBusPolicy } from "@cdktf/provider-aws/lib/cloudwatch-event-bus-policy";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { deadLetterQueues } from "./dead-letter-queues";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { policyDocument } from "./policy-document";

/** Properties of JobAlertHub. */
export interface JobAlertHubProps {
  /** Central event bus name; also names the rule, queues, function, role and archive. */
  readonly busName: string;
  /** The reports account: the bus's, the function's and the topic's. */
  readonly accountId: string;
  /** The reports Region (the bus, queue, function and topic live there). */
  readonly region: string;
  /** ARN partition of that Region (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** The organization whose accounts may put events on the bus (`aws:PrincipalOrgID`); no one else can. */
  readonly organizationId: string;
  /** The job event pattern (alerts/job-event-pattern.ts): the bus's rule and archive match it again. */
  readonly eventPattern: Record<string, unknown>;
  /** Days the archive keeps each event (replay after an outage). */
  readonly archiveRetentionDays: number;
  /** The alert topic (AlarmTopic's) the function publishes to. */
  readonly topicArn: string;
  /** The KMS key encrypting that topic: the function's role may generate data keys with it. */
  readonly topicKeyArn: string;
  /** Deployment package (zip with `index.js`) of lambdas/job-alerts, written by `npm run build:lambda`. */
  readonly packageFile: string;
  /** Landing-zone name, for the messages. */
  readonly landingZone: string;
  /** Readable account names by id, for the messages. Default: none (ids only). */
  readonly accountNames?: Readonly<Record<string, string>>;
  /** 0 (default): one message per job; 1-300: one digest per SQS batching window of that many seconds. */
  readonly digestWindowSeconds?: number;
  /** Known failures the formatter does not publish (alerts/silence.ts). Default: none. */
  readonly silence?: ReadonlyArray<{ resourceArn?: string; account?: string; until: string; reason: string }>;
  /** Publish per-protocol messages that AWS Chatbot can show (a Slack channel subscribes to the topic). Default: false. */
  readonly chatFormat?: boolean;
  /** Retention of the function's log group (days). */
  readonly logRetentionDays: number;
}

/** The function's timeout; the queue's visibility timeout is six times it, as Lambda's SQS guide recommends. */
const FUNCTION_TIMEOUT_SECONDS = 60;
/** Deliveries of one message before it moves to the dead-letter queue. */
const MAX_RECEIVE_COUNT = 5;

/**
 * The organization's central job-alert path in the reports account: an event bus whose policy admits only the
 * organization's accounts, an archive of everything they forward, a rule (the same pattern again) to an SQS queue,
 * and the formatter function (lambdas/job-alerts) that publishes readable messages to the alert topic. Each
 * failure path ends in its own queue: what EventBridge cannot deliver to the queue goes to `eventDeadLetterQueue`,
 * what the function fails on `MAX_RECEIVE_COUNT` times goes to `deadLetterQueue`. Both queues use SQS-managed
 * encryption: EventBridge's requests to KMS carry neither `aws:SourceArn` nor `aws:SourceAccount`, so a customer
 * key would need a condition-free grant to EventBridge (BAI139 refuses the conditions that would drop deliveries).
 */
export class JobAlertHub extends Construct {
  /** The central event bus the member rules forward to. */
  readonly bus: CloudwatchEventBus;
  /** Its policy: `events:PutEvents` for the organization's principals only (`aws:PrincipalOrgID`). */
  readonly busPolicy: CloudwatchEventBusPolicy;
  /** Every matching event, kept `archiveRetentionDays` for replay. */
  readonly archive: CloudwatchEventArchive;
  /** The bus's rule (the same pattern) that sends events to `queue`. */
  readonly rule: CloudwatchEventRule;
  /** The formatter's input queue (SQS-managed encryption, redrive to `deadLetterQueue`). */
  readonly queue: SqsQueue;
  /** Alerts the formatter failed to publish after MAX_RECEIVE_COUNT receives. */
  readonly deadLetterQueue: SqsQueue;
  /** Events EventBridge could not put on `queue`. */
  readonly eventDeadLetterQueue: SqsQueue;
  /** The formatter's execution role (its queue, the topic and its key, its own log group). */
  readonly role: IamRole;
  /** The formatter's log group. */
  readonly logGroup: CloudwatchLogGroup;
  /** The formatter (lambdas/job-alerts). */
  readonly function: LambdaFunction;
  /** Queue → formatter, batching a digest window when one is configured. */
  readonly eventSourceMapping: LambdaEventSourceMapping;

  constructor(scope: Construct, id: string, props: JobAlertHubProps) {
    super(scope, id);
    const name = props.busName;
    const digest = props.digestWindowSeconds ?? 0;
    if (!Number.isInteger(digest) || digest < 0 || digest > 300) {
      throw new Error(`JobAlertHub ${name}: digestWindowSeconds ${digest} is outside 0-300 (Lambda's largest SQS batching window is 300 s)`);
    }
    const pattern = JSON.stringify(props.eventPattern);

    this.bus = new CloudwatchEventBus(this, "bus", { name, description: "AWS Backup job state changes forwarded by the organization's accounts" });
    this.busPolicy = new CloudwatchEventBusPolicy(this, "bus-policy", {
      eventBusName: this.bus.name,
      policy: policyDocument([
        {
          Sid: "OrganizationAccountsPutEvents",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "events:PutEvents",
          Resource: this.bus.arn,
          // The organization only (EventBridge guide, "Permissions for event buses": aws:PrincipalOrgID).
          Condition: { StringEquals: { "aws:PrincipalOrgID": props.organizationId } },
        },
      ]),
    });

    this.archive = new CloudwatchEventArchive(this, "archive", {
      name: name.slice(0, 48),
      description: "Every forwarded job alert, for replay after an outage of the formatter",
      eventSourceArn: this.bus.arn,
      eventPattern: pattern,
      retentionDays: props.archiveRetentionDays,
    });

    ({ deadLetterQueue: this.deadLetterQueue, eventDeadLetterQueue: this.eventDeadLetterQueue } = deadLetterQueues(this, name));
    this.queue = new SqsQueue(this, "queue", {
      name,
      sqsManagedSseEnabled: true,
      // A day of alerts at most: an older one is in the archive and the daily reports anyway.
      messageRetentionSeconds: 4 * 24 * 3600,
      visibilityTimeoutSeconds: 6 * FUNCTION_TIMEOUT_SECONDS + digest,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount: MAX_RECEIVE_COUNT }),
    });

    this.rule = new CloudwatchEventRule(this, "rule", {
      name: `${name}-to-queue`,
      description: "AWS Backup job alerts from the organization's accounts, to the formatter's queue",
      eventBusName: this.bus.name,
      eventPattern: pattern,
    });
    for (const [qid, queue] of [["queue-policy", this.queue], ["event-dlq-policy", this.eventDeadLetterQueue]] as const) {
      new SqsQueuePolicy(this, qid, {
        queueUrl: queue.url,
        policy: policyDocument([
          {
            Sid: "CentralBusRule",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: queue.arn,
            Condition: { ArnEquals: { "aws:SourceArn": this.rule.arn } },
          },
        ]),
      });
    }
    new CloudwatchEventTarget(this, "target", {
      rule: this.rule.name,
      eventBusName: this.bus.name,
      targetId: "formatter-queue",
      arn: this.queue.arn,
      deadLetterConfig: { arn: this.eventDeadLetterQueue.arn },
      retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 },
    });

    const fn = `${name}-formatter`;
    const logGroupName = `/aws/lambda/${fn}`;
    this.logGroup = new CloudwatchLogGroup(this, "log-group", { name: logGroupName, retentionInDays: props.logRetentionDays });
    this.role = new IamRole(this, "role", {
      name: `${fn}-role`,
      description: "Job alert formatter: reads the alert queue, publishes to the alert topic",
      assumeRolePolicy: policyDocument([
        { Sid: "LambdaAssume", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]),
    });
    const rolePolicy = new IamRolePolicy(this, "role-policy", {
      name: "job-alert-formatter",
      role: this.role.id,
      policy: policyDocument([
        { Sid: "ReadAlertQueue", Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], Resource: this.queue.arn },
        { Sid: "PublishAlerts", Effect: "Allow", Action: "sns:Publish", Resource: props.topicArn },
        // The topic is encrypted with its own key (administered by the account, so this grant is effective).
        { Sid: "AlertTopicKey", Effect: "Allow", Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: props.topicKeyArn },
        {
          Sid: "OwnLogGroup",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `arn:${props.partition}:logs:${props.region}:${props.accountId}:log-group:${logGroupName}:*`,
        },
      ]),
    });

    const bundle = new TerraformAsset(this, "bundle", { path: props.packageFile, type: AssetType.FILE });
    this.function = new LambdaFunction(this, "function", {
      functionName: fn,
      description: "Turns AWS Backup job state changes into readable messages on the alert topic",
      role: this.role.arn,
      runtime: "nodejs22.x",
      handler: "index.handler",
      architectures: ["arm64"],
      filename: bundle.path,
      sourceCodeHash: Fn.filebase64sha256(bundle.path),
      timeout: FUNCTION_TIMEOUT_SECONDS,
      memorySize: 256,
      environment: {
        variables: {
          TOPIC_ARN: props.topicArn,
          LANDING_ZONE: props.landingZone,
          ACCOUNT_NAMES: JSON.stringify(props.accountNames ?? {}),
          DIGEST_WINDOW_SECONDS: String(digest),
          CHAT_FORMAT: props.chatFormat ? "slack" : "",
          SILENCE: JSON.stringify(props.silence ?? []),
          POWERTOOLS_SERVICE_NAME: "backup-audit-job-alerts",
          POWERTOOLS_METRICS_NAMESPACE: "BackupAuditInsights",
          POWERTOOLS_LOG_LEVEL: "INFO",
        },
      },
      dependsOn: [this.logGroup, rolePolicy],
    });

    // With a digest window the poller gathers up to the window (or 6 MB of payload) into one batch, one message;
    // two concurrent batches at most (the mapping's floor), so a storm gives about one message per window.
    this.eventSourceMapping = new LambdaEventSourceMapping(this, "queue-mapping", {
      eventSourceArn: this.queue.arn,
      functionName: this.function.arn,
      batchSize: digest > 0 ? 10000 : 10,
      maximumBatchingWindowInSeconds: digest > 0 ? digest : undefined,
      functionResponseTypes: ["ReportBatchItemFailures"],
      scalingConfig: digest > 0 ? { maximumConcurrency: 2 } : undefined,
    });
  }
}
