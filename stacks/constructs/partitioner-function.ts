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
import { deadLetterQueues } from "./dead-letter-queues";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { policyDocument, type PolicyStatement } from "./policy-document";
import { REPORT_DRIFT_METRIC } from "../../reports/drift-metric";
import { checkNormalizedPrefix } from "../../reports/normalized-table";
import { listingPrefixes } from "../../reports/backfill-plan";
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
  /** The report tables and their key prefixes (the event pattern matches these prefixes only). */
  readonly tables: readonly ReportTableRef[];
  /** Reports bucket whose "Object Created" events trigger the function; it also holds the normalised copies. */
  readonly bucketName: string;
  /** Folder of the normalised copies (the only place the function may write). */
  readonly normalizedPrefix: string;
  /** Customer managed key of the reports bucket, or null for SSE-S3 (then the role has no KMS action). */
  readonly kmsKeyArn: string | null;
  /**
   * Alias (`alias/<name>`) of a reports key created in another stack, whose ARN is unknown here: the role is
   * granted the key actions on the account's keys carrying that alias (`kms:ResourceAliases`). Default: none.
   */
  readonly kmsKeyAlias?: string | null;
  /** Retention of the function's log group. */
  readonly logRetentionDays: number;
  /** Asynchronous retries of a failed invocation before the event goes to the failure queue. Default: 2 (the maximum). */
  readonly maximumRetryAttempts?: number;
}


/** Actions on the normalised prefix: the upload (PutObject covers the multipart calls) and its abort. */
export const PARTITIONER_WRITE_ACTIONS = ["s3:PutObject", "s3:AbortMultipartUpload"] as const;
/** With a customer managed key: read SSE-KMS objects, write SSE-KMS objects (multipart needs Decrypt too). */
export const PARTITIONER_KMS_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"] as const;

/**
 * The partitioner (normaliser): S3 "Object Created" events of the report prefixes (EventBridge, default bus) →
 * Lambda → normalised copy under `normalizedPrefix` (no Glue call: the tables project their partitions).
 * Each failure path ends in its own queue (architecture doc), and each queue is fed by one path only, so a
 * failure arrives once: an event EventBridge cannot deliver goes to the rule target's dead-letter queue; an
 * invocation that still fails after Lambda's asynchronous retries goes to the function's queue through the
 * on-failure destination. Not also `dead_letter_config`: Lambda would send the same failure to both ("in
 * addition to"), and the destination's record is the richer one (the event as `requestPayload` plus the
 * error, its stack trace, the attempt count and why Lambda gave up).
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
    const prefixProblem = checkNormalizedPrefix(props.normalizedPrefix, props.tables.map((t) => t.keyPrefix));
    if (prefixProblem !== null) throw new Error(`PartitionerFunction ${fn}: ${prefixProblem}`);
    // `prefix` is "" (whole bucket) or ends with "/".
    const objects = (prefix: string) => `arn:${props.partition}:s3:::${props.bucketName}/${prefix}*`;
    const logGroupName = `/aws/lambda/${fn}`;

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: logGroupName,
      retentionInDays: props.logRetentionDays,
    });

    ({ deadLetterQueue: this.deadLetterQueue, eventDeadLetterQueue: this.eventDeadLetterQueue } = deadLetterQueues(this, fn));

    this.role = new IamRole(this, "role", {
      name: `${fn}-role`,
      description: "Report partitioner: normalises delivered AWS Backup reports by header name",
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
        Sid: "ReadRawReports",
        Effect: "Allow",
        Action: "s3:GetObject",
        // The report plans' prefixes only (one entry for nested prefixes).
        Resource: listingPrefixes(props.tables).map(objects),
      },
      {
        Sid: "WriteNormalizedCopies",
        Effect: "Allow",
        Action: [...PARTITIONER_WRITE_ACTIONS],
        Resource: objects(`${props.normalizedPrefix}/`),
      },
      ...(props.kmsKeyArn === null
        ? []
        : [{ Sid: "ReportsBucketKey", Effect: "Allow" as const, Action: [...PARTITIONER_KMS_ACTIONS], Resource: props.kmsKeyArn }]),
      ...(props.kmsKeyAlias
        ? [
            {
              Sid: "ReportsBucketKeyByAlias",
              Effect: "Allow" as const,
              Action: [...PARTITIONER_KMS_ACTIONS],
              Resource: `arn:${props.partition}:kms:${props.region}:${props.accountId}:key/*`,
              Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": props.kmsKeyAlias } },
            },
          ]
        : []),
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
      description: "Normalises each AWS Backup report file delivered to S3 (CSV by header name -> gzip JSON Lines)",
      role: this.role.arn,
      runtime: "nodejs22.x",
      handler: "index.handler",
      architectures: ["arm64"],
      filename: bundle.path,
      sourceCodeHash: Fn.filebase64sha256(bundle.path),
      // A report part is at most ~50 MB; streaming keeps memory flat, CPU (∝ memory) sets the pace.
      timeout: 300,
      memorySize: 512,
      environment: {
        variables: {
          REPORT_TABLES: JSON.stringify(props.tables.map((t) => ({ template: t.template, keyPrefix: t.keyPrefix, tableName: t.tableName }))),
          REPORTS_BUCKET: props.bucketName,
          NORMALIZED_PREFIX: props.normalizedPrefix,
          // The drift metric's dimension and namespace (reports/drift-metric.ts): the alarm matches them.
          POWERTOOLS_SERVICE_NAME: REPORT_DRIFT_METRIC.dimensions.service,
          POWERTOOLS_METRICS_NAMESPACE: REPORT_DRIFT_METRIC.namespace,
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
      // EventBridge's own defaults, pinned: normalising is idempotent (same key), so a late delivery is harmless.
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
