import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { Logger } from "@aws-lambda-powertools/logger";
import { MetricUnit, type Metrics } from "@aws-lambda-powertools/metrics";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { perProtocolMessage } from "../../alerts/chatbot-message";
import { formatDigest } from "../../alerts/digest";
import { formatJobAlert, type AlertMessage } from "../../alerts/format-message";
import { parseJobEvent, type JobAlert } from "../../alerts/job-alert";
import { silencedBy } from "../../alerts/silence";
import type { JobAlertsConfig } from "./config";

/**
 * SQS batch (the central bus's rule → queue → this function) → messages on the alert topic. Without a digest
 * window: one message per job, and a failed publish returns that record as a batch item failure (SQS redelivers
 * it, then moves it to the dead-letter queue). With a window: the event source mapping gathers the window's events
 * into one batch and one digest is published for all of them (a failed publish fails the whole batch). Messages
 * that are not job state changes are logged, counted and dropped: retrying them cannot help.
 */
export interface JobAlertsDeps {
  readonly sns: Pick<SNSClient, "send">;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly config: JobAlertsConfig;
  /** The clock silences are judged by. Default: the system's. */
  readonly now?: () => Date;
}

export type JobAlertsHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

export const JOB_ALERT_METRICS = { published: "JobAlertsPublished", ignored: "JobAlertEventsIgnored", silenced: "JobAlertsSilenced" } as const;

export function createHandler(deps: JobAlertsDeps): JobAlertsHandler {
  const { sns, logger, metrics, config } = deps;
  const now = deps.now ?? (() => new Date());
  const ctx = { landingZone: config.landingZone, accountNames: config.accountNames };

  const publish = async (message: AlertMessage): Promise<void> => {
    await sns.send(
      new PublishCommand(
        config.chat
          ? { TopicArn: config.topicArn, Subject: message.subject, Message: perProtocolMessage(message), MessageStructure: "json" }
          : { TopicArn: config.topicArn, Subject: message.subject, Message: message.body },
      ),
    );
  };

  return async (event, context) => {
    if (context !== undefined) logger.addContext(context);
    const alerts: Array<{ messageId: string; alert: JobAlert }> = [];
    for (const record of event.Records ?? []) {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        body = record.body;
      }
      const parsed = parseJobEvent(body);
      if (!parsed.ok) {
        logger.warn("dropping a message that is not an AWS Backup job state change", { messageId: record.messageId, reason: parsed.reason });
        metrics.addMetric(JOB_ALERT_METRICS.ignored, MetricUnit.Count, 1);
        continue;
      }
      const silence = silencedBy(parsed.alert, config.silence, now());
      if (silence !== null) {
        // Logged with the reason, counted, never published: the silence ends on its own at `until`.
        logger.info("silenced a job alert", { account: parsed.alert.account, jobId: parsed.alert.jobId, resource: parsed.alert.resource, until: silence.until, reason: silence.reason });
        metrics.addMetric(JOB_ALERT_METRICS.silenced, MetricUnit.Count, 1);
        continue;
      }
      alerts.push({ messageId: record.messageId, alert: parsed.alert });
    }
    if (alerts.length === 0) return { batchItemFailures: [] };

    if (config.digestWindowSeconds > 0) {
      // One message for the batch: it either goes out for all of them or the whole batch is retried.
      await publish(formatDigest(alerts.map((a) => a.alert), ctx, config.digestWindowSeconds));
      logger.info("published a digest", { alerts: alerts.length });
      metrics.addMetric(JOB_ALERT_METRICS.published, MetricUnit.Count, 1);
      return { batchItemFailures: [] };
    }

    const failures: Array<{ itemIdentifier: string }> = [];
    for (const { messageId, alert } of alerts) {
      try {
        await publish(formatJobAlert(alert, ctx));
        logger.info("published a job alert", { account: alert.account, region: alert.region, jobId: alert.jobId, state: alert.state });
        metrics.addMetric(JOB_ALERT_METRICS.published, MetricUnit.Count, 1);
      } catch (err) {
        logger.error("could not publish a job alert; the message is retried", { messageId, error: err instanceof Error ? err.message : String(err) });
        failures.push({ itemIdentifier: messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}
