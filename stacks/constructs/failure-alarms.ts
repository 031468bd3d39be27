import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";

/** A dead-letter queue to watch: any message in it is an event that was not processed. */
export interface WatchedQueue {
  /** Suffix of the alarm's name and id, e.g. `delivery-failures`. */
  readonly label: string;
  /** The queue's name (a reference such as `queue.name` is fine). */
  readonly queueName: string;
  /** What a message there means, for the alarm's description. */
  readonly meaning: string;
}

/** A custom metric counted by the function (e.g. report headers it has never seen). */
export interface WatchedMetric {
  /** Suffix of the alarm's name and id, e.g. `header-drift`. */
  readonly label: string;
  /** CloudWatch namespace the function emits the metric in. */
  readonly namespace: string;
  /** Metric name; summed over all its dimension sets. */
  readonly metricName: string;
  /** What a count means, for the alarm's description. */
  readonly meaning: string;
}

/** Props of FailureAlarms: the function, its queues and metrics, and where the alarms notify. */
export interface FailureAlarmsProps {
  /** Prefix of every alarm name. */
  readonly namePrefix: string;
  /** Where ALARM and OK transitions are sent (the SNS topic of AlarmTopic). */
  readonly topicArn: string;
  /** The function whose `Errors` and `DestinationDeliveryFailures` are watched. */
  readonly functionName: string;
  /**
   * The EventBridge rule (default bus) whose target dead-letter queue is among `queues`: its
   * `InvocationsFailedToBeSentToDlq` is watched, the one way an event is lost although the queue exists.
   */
  readonly ruleName?: string;
  /** The dead-letter queues of the function's failure paths. */
  readonly queues: readonly WatchedQueue[];
  /** Drift metrics: alarm when any of them is counted at all. */
  readonly metrics?: readonly WatchedMetric[];
  /** Length of each evaluated period. Default: 300 s. */
  readonly periodSeconds?: number;
}

/**
 * CloudWatch alarms on every failure path of an event-driven function: one per dead-letter queue (messages
 * visible), one on the function's `Errors`, one per drift metric, and one on each failure path's own failure
 * (Lambda could not write to the on-failure destination; EventBridge could not write to the target's queue). Each fires on the first occurrence (threshold
 * 1, one period), treats missing data as OK (idle queues and functions publish nothing), and notifies the topic
 * on ALARM and on the return to OK. A queue alarm stays in ALARM until someone drains the queue.
 */
export class FailureAlarms extends Construct {
  /** One per watched queue, in the order of `queues`. */
  readonly queueAlarms: CloudwatchMetricAlarm[];
  /** On the function's `Errors`. */
  readonly errorsAlarm: CloudwatchMetricAlarm;
  /** The failure paths failing: events lost although their queues exist. */
  readonly lostEventAlarms: CloudwatchMetricAlarm[];
  /** One per drift metric, in the order of `metrics`. */
  readonly metricAlarms: CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: FailureAlarmsProps) {
    super(scope, id);
    const period = props.periodSeconds ?? 300;
    const common = {
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
    };

    this.queueAlarms = props.queues.map(
      (q) =>
        new CloudwatchMetricAlarm(this, `queue-${q.label}`, {
          ...common,
          alarmName: `${props.namePrefix}-${q.label}`,
          alarmDescription: `Messages in dead-letter queue ${q.queueName}: ${q.meaning}`,
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: q.queueName },
          statistic: "Maximum",
          period,
        }),
    );

    this.errorsAlarm = new CloudwatchMetricAlarm(this, "errors", {
      ...common,
      alarmName: `${props.namePrefix}-errors`,
      alarmDescription: `Lambda function ${props.functionName} failed (each failed attempt counts, retries included)`,
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: props.functionName },
      statistic: "Sum",
      period,
    });

    this.lostEventAlarms = [
      new CloudwatchMetricAlarm(this, "destination-failures", {
        ...common,
        alarmName: `${props.namePrefix}-destination-failures`,
        alarmDescription: `Lambda could not deliver a failed event of ${props.functionName} to its on-failure destination: the event is lost`,
        namespace: "AWS/Lambda",
        metricName: "DestinationDeliveryFailures",
        dimensions: { FunctionName: props.functionName },
        statistic: "Sum",
        period,
      }),
    ];
    if (props.ruleName !== undefined) {
      // RuleName alone is the default bus's dimension set (a custom bus adds EventBusName).
      this.lostEventAlarms.push(
        new CloudwatchMetricAlarm(this, "dead-letter-send-failures", {
          ...common,
          alarmName: `${props.namePrefix}-dead-letter-send-failures`,
          alarmDescription: `EventBridge could not move an undeliverable event of rule ${props.ruleName} to its dead-letter queue: the event is lost`,
          namespace: "AWS/Events",
          metricName: "InvocationsFailedToBeSentToDlq",
          dimensions: { RuleName: props.ruleName },
          statistic: "Sum",
          period,
        }),
      );
    }

    // A Metrics Insights query sums the metric over all its dimension sets: Powertools adds a `service`
    // dimension to every metric, and the alarm must not depend on which ones the function emits.
    this.metricAlarms = (props.metrics ?? []).map(
      (m) =>
        new CloudwatchMetricAlarm(this, `metric-${m.label}`, {
          ...common,
          alarmName: `${props.namePrefix}-${m.label}`,
          alarmDescription: `${m.namespace}/${m.metricName} counted: ${m.meaning}`,
          metricQuery: [
            {
              id: "m1",
              expression: `SELECT SUM(${m.metricName}) FROM ${m.namespace}`,
              period,
              returnData: true,
            },
          ],
        }),
    );
  }
}
