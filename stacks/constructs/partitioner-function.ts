import { Construct } from "constructs";
import { AssetType, Fn, TerraformAsset } from "cdktf";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { policyDocument, type PolicyStatement } from "./policy-document";
import type { ReportTableRef } from "../../reports/report-tables";

/** Properties of PartitionerFunction. */
export interface PartitionerFunctionProps {
  /** Lambda function name; also names its role, log group, queues and rule. */
  readonly functionName: string;
  /** Deployment package (zip with `index.js`) written by `npm run build:lambda`; copied as a file asset. */
  readonly packageFile: string;
  /** Account of the function, the Glue catalog and the reports bucket. */
  readonly accountId: string;
  /** Region of the function (the reports bucket's Region). */
  readonly region: string;
  /** AWS partition of that Region. */
  readonly partition: string;
  /** Glue database holding the report tables. */
  readonly databaseName: string;
  /** The report tables and their key prefixes (the event pattern matches these prefixes only). */
  readonly tables: readonly ReportTableRef[];
  /** Reports bucket whose "Object Created" events trigger the function. */
  readonly bucketName: string;
  /** Retention of the function's log group. */
  readonly logRetentionDays: number;
  /** Asynchronous retries of a failed invocation before the event goes to the failure queue. Default: 2 (the maximum). */
  readonly maximumRetryAttempts?: number;
}

/** Every message kept 14 days (the SQS maximum) so that failed events can be replayed after a holiday. */
const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

/** The Glue calls lambdas/partitioner makes (GetTable once per table, then BatchCreatePartition), nothing else. */
export const PARTITIONER_GLUE_ACTIONS = [
  "glue:GetTable",
  "glue:BatchCreatePartition",
] as const;

/**
 * The partitioner: S3 "Object Created" events of the report prefixes (EventBridge, default bus) → Lambda →
 * Glue partitions. Each failure path ends in its own queue (architecture doc), and each queue is fed by one
 * path only, so a failure arrives once: an event EventBridge cannot deliver goes to the rule target's
 * dead-letter queue; an invocation that still fails after Lambda's asynchronous retries goes to the
 * function's queue through the on-failure destination. Not also `dead_letter_config`: Lambda would send the
 * same failure to both ("in addition to"), and the destination's record is the richer one (the event as
 * `requestPayload` plus the error, its stack trace, the attempt count and why Lambda gave up).
 */
export class PartitionerFunction extends Construct {
  /** The Lambda function. */
  readonly function: LambdaFunction;
  /** Its execution role (Glue partitions, its own log group, its dead-letter queue only). */
  readonly role: IamRole;
  /** Its log group, with the configured retention. */
  readonly logGroup: CloudwatchLogGroup;
  /** Events the function failed to process (on-failure destination records). */
  readonly deadLetterQueue: SqsQueue;
  /** Events EventBridge failed to deliver (the events themselves). */
  readonly eventDeadLetterQueue: SqsQueue;
  /** The EventBridge rule on new report objects that invokes the function. */
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: PartitionerFunctionProps) {
    super(scope, id);
    if (props.tables.length === 0) {
      // EventBridge rejects an empty key list and the handler refuses an empty REPORT_TABLES.
      throw new Error(`PartitionerFunction ${props.functionName}: no report tables (the landing zone has no report plans)`);
    }
    const fn = props.functionName;
    const glueArn = (resource: string) => `arn:${props.partition}:glue:${props.region}:${props.accountId}:${resource}`;
    const logGroupName = `/aws/lambda/${fn}`;

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: logGroupName,
      retentionInDays: props.logRetentionDays,
    });

    this.deadLetterQueue = new SqsQueue(this, "dlq", {
      name: `${fn}-dlq`,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: DLQ_RETENTION_SECONDS,
    });
    this.eventDeadLetterQueue = new SqsQueue(this, "event-dlq", {
      name: `${fn}-events-dlq`,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: DLQ_RETENTION_SECONDS,
    });

    this.role = new IamRole(this, "role", {
      name: `${fn}-role`,
      description: "Report partitioner: adds Glue partitions for delivered AWS Backup reports",
      assumeRolePolicy: policyDocument([
        {
          Sid: "LambdaAssume",
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: "sts:AssumeRole",
        },
      ]),
    });

    const statements: PolicyStatement[] = [
      {
        Sid: "ReportPartitions",
        Effect: "Allow",
        Action: [...PARTITIONER_GLUE_ACTIONS],
        Resource: [glueArn("catalog"), glueArn(`database/${props.databaseName}`), glueArn(`table/${props.databaseName}/*`)],
      },
      {
        Sid: "OwnLogGroup",
        Effect: "Allow",
        // The log group is created above, so the function never needs logs:CreateLogGroup.
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `arn:${props.partition}:logs:${props.region}:${props.accountId}:log-group:${logGroupName}:*`,
      },
      {
        Sid: "DeadLetterQueue",
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: this.deadLetterQueue.arn,
      },
    ];
    const rolePolicy = new IamRolePolicy(this, "role-policy", {
      name: "report-partitioner",
      role: this.role.name,
      policy: policyDocument(statements),
    });

    // A prebuilt zip: an ARCHIVE asset would zip the folder in a child process on every synth.
    const bundle = new TerraformAsset(this, "bundle", { path: props.packageFile, type: AssetType.FILE });
    this.function = new LambdaFunction(this, "function", {
      functionName: fn,
      description: "Adds a Glue partition for each AWS Backup report file delivered to S3",
      role: this.role.arn,
      runtime: "nodejs22.x",
      handler: "index.handler",
      architectures: ["arm64"],
      filename: bundle.path,
      sourceCodeHash: Fn.filebase64sha256(bundle.path),
      timeout: 30,
      memorySize: 256,
      environment: {
        variables: {
          GLUE_DATABASE: props.databaseName,
          REPORT_TABLES: JSON.stringify(props.tables.map((t) => ({ template: t.template, keyPrefix: t.keyPrefix, tableName: t.tableName }))),
          REPORTS_BUCKET: props.bucketName,
          POWERTOOLS_SERVICE_NAME: "backup-audit-partitioner",
          POWERTOOLS_LOG_LEVEL: "INFO",
        },
      },
      // The log group (with its retention) and the permissions exist before the first invocation.
      dependsOn: [this.logGroup, rolePolicy],
    });

    new LambdaFunctionEventInvokeConfig(this, "invoke-config", {
      functionName: this.function.functionName,
      maximumRetryAttempts: props.maximumRetryAttempts ?? 2,
      destinationConfig: { onFailure: { destination: this.deadLetterQueue.arn } },
    });

    this.rule = new CloudwatchEventRule(this, "rule", {
      name: `${fn}-objects`,
      description: "AWS Backup report files delivered to the reports bucket",
      eventPattern: JSON.stringify(reportObjectEventPattern(props.bucketName, props.tables.map((t) => t.keyPrefix))),
    });

    new SqsQueuePolicy(this, "event-dlq-policy", {
      queueUrl: this.eventDeadLetterQueue.url,
      policy: policyDocument([
        {
          Sid: "EventBridgeDeadLetters",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: this.eventDeadLetterQueue.arn,
          Condition: { ArnEquals: { "aws:SourceArn": this.rule.arn } },
        },
      ]),
    });

    new LambdaPermission(this, "permission", {
      statementId: "AllowEventBridgeReportObjects",
      action: "lambda:InvokeFunction",
      functionName: this.function.functionName,
      principal: "events.amazonaws.com",
      sourceArn: this.rule.arn,
    });

    new CloudwatchEventTarget(this, "target", {
      rule: this.rule.name,
      targetId: "partitioner",
      arn: this.function.arn,
      deadLetterConfig: { arn: this.eventDeadLetterQueue.arn },
      // EventBridge's own defaults, pinned: partitions are idempotent, so a late delivery is harmless.
      retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 },
    });
  }
}

/** The rule's pattern: S3 "Object Created" in the reports bucket under any plan's key prefix. */
export function reportObjectEventPattern(bucketName: string, keyPrefixes: readonly string[]): Record<string, unknown> {
  return {
    source: ["aws.s3"],
    "detail-type": ["Object Created"],
    detail: {
      bucket: { name: [bucketName] },
      // An empty prefix (reports at the bucket root) matches every key; the Lambda filters by layout.
      object: { key: keyPrefixes.map((p) => ({ prefix: p === "" ? "" : `${p}/` })) },
    },
  };
}
