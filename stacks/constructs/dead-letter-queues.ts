import type { Construct } from "constructs";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";

/** Every message kept 14 days (the SQS maximum) so that failed events can be replayed after a holiday. */
const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

/** A function's two failure paths: its own failed invocations, and events its trigger could not deliver. */
export interface DeadLetterQueues {
  /** `<name>-dlq` (ids `dlq`): the function's failed invocations. */
  readonly deadLetterQueue: SqsQueue;
  /** `<name>-events-dlq` (id `event-dlq`): events the EventBridge target could not deliver. */
  readonly eventDeadLetterQueue: SqsQueue;
}

/** The two dead-letter queues of a function named `name`, encrypted with SQS-managed keys. */
export function deadLetterQueues(scope: Construct, name: string): DeadLetterQueues {
  const queue = (id: string, queueName: string) =>
    new SqsQueue(scope, id, { name: queueName, sqsManagedSseEnabled: true, messageRetentionSeconds: DLQ_RETENTION_SECONDS });
  return { deadLetterQueue: queue("dlq", `${name}-dlq`), eventDeadLetterQueue: queue("event-dlq", `${name}-events-dlq`) };
}
