import { AnalyticsStack } from "../stacks/analytics-stack";
import { REPORT_DRIFT_METRIC } from "../reports/drift-metric";
import { AlarmTopic } from "../stacks/constructs/alarm-topic";
import { FailureAlarms } from "../stacks/constructs/failure-alarms";
import { landingZoneConfigSchema } from "../config/schema";
import {
  cleanup,
  dummyPartitionerPackage,
  exampleInput,
  landingZone,
  onlyResource,
  resourceList,
  resourcesOf,
  resourceWhere,
  statementBySid,
  statementsOf,
  synthConstruct,
  synthStack,
  testApp,
  type TerraformJson,
} from "./helpers/landing-zone";

afterAll(cleanup);

function analytics(emails?: string[]): TerraformJson {
  const lz = landingZone(emails ? { alerts: { emails } } : {});
  return synthStack(new AnalyticsStack(testApp(), lz, { partitionerPackage: dummyPartitionerPackage(), namedQueries: [] }));
}

const tf = analytics(["ops@example.com", "backup-team@example.org"]);
const idWhere = (type: string, attr: string, value: string): string => {
  const ids = Object.entries(resourcesOf(tf, type))
    .filter(([, r]) => r[attr] === value)
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type} with ${attr} = ${value}, found ${ids.length}`);
  return ids[0];
};
const topicRef = `\${aws_sns_topic.${Object.keys(resourcesOf(tf, "aws_sns_topic"))[0]}.arn}`;
const fnId = Object.keys(resourcesOf(tf, "aws_lambda_function"))[0];
const functionDlq = idWhere("aws_sqs_queue", "name", "acme-prod-report-partitioner-dlq");
const eventDlq = idWhere("aws_sqs_queue", "name", "acme-prod-report-partitioner-events-dlq");

describe("failure paths of the analytics stack", () => {
  it("feed each dead-letter queue from exactly one path", () => {
    expect(resourceList(tf, "aws_lambda_function")[0]).not.toHaveProperty("dead_letter_config");
    expect(onlyResource(tf, "aws_lambda_function_event_invoke_config").destination_config).toEqual({
      on_failure: { destination: `\${aws_sqs_queue.${functionDlq}.arn}` },
    });
    expect(onlyResource(tf, "aws_cloudwatch_event_target").dead_letter_config).toEqual({
      arn: `\${aws_sqs_queue.${eventDlq}.arn}`,
    });
    // Neither queue redrives anywhere: they are the end of the line, kept 14 days for replay.
    for (const q of resourceList(tf, "aws_sqs_queue")) {
      expect(q).not.toHaveProperty("redrive_policy");
      expect(q.message_retention_seconds).toBe(14 * 24 * 3600);
    }
  });
});

describe("FailureAlarms in the analytics stack", () => {
  const alarms = resourceList(tf, "aws_cloudwatch_metric_alarm");
  const common = {
    comparison_operator: "GreaterThanOrEqualToThreshold",
    threshold: 1,
    evaluation_periods: 1,
    treat_missing_data: "notBreaching",
    alarm_actions: [topicRef],
    ok_actions: [topicRef],
  };

  it("watches both dead-letter queues, the function's errors, both paths' own failures and the header drift metric", () => {
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual([
      "acme-prod-report-partitioner-dead-letter-send-failures",
      "acme-prod-report-partitioner-delivery-failures",
      "acme-prod-report-partitioner-destination-failures",
      "acme-prod-report-partitioner-errors",
      "acme-prod-report-partitioner-function-failures",
      "acme-prod-report-partitioner-header-drift",
    ]);
  });

  it("alarms when a failure path itself fails (the event is lost although its queue exists)", () => {
    const ruleId = Object.keys(resourcesOf(tf, "aws_cloudwatch_event_rule"))[0];
    expect(resourceWhere(tf, "aws_cloudwatch_metric_alarm", "alarm_name", "acme-prod-report-partitioner-destination-failures")).toMatchObject({
      ...common,
      namespace: "AWS/Lambda",
      metric_name: "DestinationDeliveryFailures",
      dimensions: { FunctionName: `\${aws_lambda_function.${fnId}.function_name}` },
      statistic: "Sum",
    });
    expect(resourceWhere(tf, "aws_cloudwatch_metric_alarm", "alarm_name", "acme-prod-report-partitioner-dead-letter-send-failures")).toMatchObject({
      ...common,
      namespace: "AWS/Events",
      metric_name: "InvocationsFailedToBeSentToDlq",
      dimensions: { RuleName: `\${aws_cloudwatch_event_rule.${ruleId}.name}` },
      statistic: "Sum",
    });
  });

  it.each([
    ["function-failures", () => functionDlq],
    ["delivery-failures", () => eventDlq],
  ])("alarms on the first visible message of the %s queue", (label, queue) => {
    expect(resourceWhere(tf, "aws_cloudwatch_metric_alarm", "alarm_name", `acme-prod-report-partitioner-${label}`)).toMatchObject({
      ...common,
      namespace: "AWS/SQS",
      metric_name: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: `\${aws_sqs_queue.${queue()}.name}` },
      statistic: "Maximum",
      period: 300,
    });
  });

  it("alarms on any error of the function", () => {
    expect(resourceWhere(tf, "aws_cloudwatch_metric_alarm", "alarm_name", "acme-prod-report-partitioner-errors")).toMatchObject({
      ...common,
      namespace: "AWS/Lambda",
      metric_name: "Errors",
      dimensions: { FunctionName: `\${aws_lambda_function.${fnId}.function_name}` },
      statistic: "Sum",
      period: 300,
    });
  });

  it("alarms on the drift metric summed over every dimension set (Metrics Insights)", () => {
    const alarm = resourceWhere(tf, "aws_cloudwatch_metric_alarm", "alarm_name", "acme-prod-report-partitioner-header-drift");
    expect(alarm).toMatchObject(common);
    expect(alarm.metric_query).toEqual([
      { id: "m1", expression: "SELECT SUM(ReportHeaderDrift) FROM BackupAuditInsights", period: 300, return_data: true },
    ]);
    expect(alarm).not.toHaveProperty("metric_name");
    // The metric the function emits (its environment carries the same namespace).
    expect([REPORT_DRIFT_METRIC.namespace, REPORT_DRIFT_METRIC.metricName]).toEqual(["BackupAuditInsights", "ReportHeaderDrift"]);
    const env = (resourceList(tf, "aws_lambda_function")[0].environment as { variables: Record<string, string> }).variables;
    expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe(REPORT_DRIFT_METRIC.namespace);
  });

  it("takes its period from the props", () => {
    const out = synthConstruct((stack) => {
      new FailureAlarms(stack, "alarms", {
        namePrefix: "fn",
        topicArn: "arn:aws:sns:us-east-1:111122223333:t",
        functionName: "fn",
        queues: [{ label: "dlq", queueName: "fn-dlq", meaning: "m" }],
        periodSeconds: 60,
      });
    });
    // Synthesized resources are ordered by logical id: sort for the comparison.
    // Without a rule there is no EventBridge dead-letter alarm.
    expect(resourceList(out, "aws_cloudwatch_metric_alarm").map((a) => [a.alarm_name, a.period]).sort()).toEqual([
      ["fn-destination-failures", 60],
      ["fn-dlq", 60],
      ["fn-errors", 60],
    ]);
  });
});

describe("AlarmTopic", () => {
  const keyId = idWhere("aws_kms_key", "description", "Encrypts the SNS topic acme-prod-backup-audit-alarms (CloudWatch alarm notifications)");

  it("encrypts the topic with its own rotating key that CloudWatch may use for this account's alarms only", () => {
    expect(onlyResource(tf, "aws_sns_topic")).toEqual({
      name: "acme-prod-backup-audit-alarms",
      kms_master_key_id: `\${aws_kms_key.${keyId}.arn}`,
    });
    expect(resourcesOf(tf, "aws_kms_key")[keyId]).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    const policy = resourceWhere(tf, "aws_kms_key_policy", "key_id", `\${aws_kms_key.${keyId}.key_id}`).policy;
    expect(statementBySid(policy, "CloudWatchAlarmsPublish")).toEqual({
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: {
        ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:111122223333:alarm:*" },
        StringEquals: { "aws:SourceAccount": "111122223333" },
      },
    });
    const admin = statementBySid(policy, "KeyAdministration");
    expect(admin.Principal).toEqual({ AWS: "arn:aws:iam::111122223333:root" });
    expect(admin.Action).not.toContain("kms:Decrypt");
    expect(statementsOf(policy)).toHaveLength(2);
    expect(resourceWhere(tf, "aws_kms_alias", "name", "alias/acme-prod-backup-audit-alarms").target_key_id).toBe(
      `\${aws_kms_key.${keyId}.key_id}`,
    );
  });

  it("lets only this account's alarms in this Region publish", () => {
    const policy = onlyResource(tf, "aws_sns_topic_policy");
    expect(policy.arn).toBe(topicRef);
    expect(statementsOf(policy.policy)).toEqual([
      {
        Sid: "CloudWatchAlarms",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicRef,
        Condition: {
          ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:111122223333:alarm:*" },
          StringEquals: { "aws:SourceAccount": "111122223333" },
        },
      },
    ]);
  });

  it("subscribes each configured email address", () => {
    expect(resourceList(tf, "aws_sns_topic_subscription").map((s) => [s.endpoint, s.protocol, s.topic_arn]).sort()).toEqual([
      ["backup-team@example.org", "email", topicRef],
      ["ops@example.com", "email", topicRef],
    ]);
    expect(resourceList(analytics(), "aws_sns_topic_subscription")).toEqual([]);
  });

  it("keys subscriptions by address, so removing one leaves the others' logical ids alone", () => {
    const ids = (emails: string[]) =>
      synthConstruct((stack) => {
        new AlarmTopic(stack, "t", { topicName: "t", accountId: "111122223333", region: "us-east-1", partition: "aws", emails });
      });
    const both = Object.entries(resourcesOf(ids(["a@example.com", "b@example.com"]), "aws_sns_topic_subscription"));
    const one = Object.entries(resourcesOf(ids(["b@example.com"]), "aws_sns_topic_subscription"));
    expect(one).toEqual([both.find(([, s]) => s.endpoint === "b@example.com")]);
  });
});

describe("alerts config", () => {
  const parse = (alerts: unknown) => landingZoneConfigSchema.safeParse({ ...exampleInput(), alerts });

  it("defaults to no subscriptions", () => {
    expect(landingZone().alerts).toEqual({ emails: [], jobs: null });
  });

  it("refuses a malformed or repeated address", () => {
    const bad = parse({ emails: ["not-an-address"] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ["alerts", "emails", 0], message: "an email address such as ops@example.com" });
    const twice = parse({ emails: ["ops@example.com", "ops@example.com"] });
    expect(twice.error?.issues[0]).toMatchObject({ path: ["alerts", "emails"], message: "an address is listed twice: list each once" });
    expect(parse({ emails: [], sms: [] }).success).toBe(false);
  });
});
