import { GlueClient } from "@aws-sdk/client-glue";
import { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { parseReportKey, partitionLocation, partitionRecord, type KeyRejectionReason } from "../../reports/report-key";
import { configFromEnv, type PartitionerConfig } from "./config";
import { parseObjectCreatedEvent } from "./event";
import {
  DEFAULT_RETRY_POLICY,
  TableDescriptorCache,
  createPartitions,
  type RetryHooks,
  type RetryPolicy,
} from "./glue-partitions";

/**
 * EventBridge `Object Created` → one Glue partition. Thin by design: event shape check, the pure key parser,
 * then glue-partitions. Non-report objects and foreign events are logged and ignored (returning normally), real
 * failures throw so that Lambda's async retries and the on-failure destination keep the event.
 */

/** Rejections that mean "not a report file at all" (debug); the others are CSVs with an unexpected layout (warn). */
const NOT_A_REPORT: ReadonlySet<KeyRejectionReason> = new Set<KeyRejectionReason>([
  "empty-key",
  "folder-marker",
  "not-csv",
  "no-template-prefix",
]);

export type PartitionerResult =
  | { readonly outcome: "ignored-event"; readonly reason: string }
  | { readonly outcome: "ignored-key"; readonly key: string; readonly reason: string }
  | {
      readonly outcome: "created" | "already-exists";
      readonly key: string;
      readonly template: string;
      readonly tableName: string;
      readonly partition: Record<string, string>;
      readonly location: string;
    };

export interface PartitionerDeps {
  readonly glue: GlueClient;
  readonly logger: Logger;
  readonly config: PartitionerConfig;
  readonly retry?: RetryPolicy;
  readonly hooks?: Pick<RetryHooks, "sleep">;
}

export type PartitionerHandler = (event: unknown, context?: Context) => Promise<PartitionerResult>;

export function createHandler(deps: PartitionerDeps): PartitionerHandler {
  const { glue, logger, config } = deps;
  const retry = deps.retry ?? DEFAULT_RETRY_POLICY;
  const hooks: RetryHooks = {
    sleep: deps.hooks?.sleep,
    onRetry: (info) => logger.warn("retrying Glue call", { ...info }),
  };
  // Lives as long as the handler, i.e. the warm container: one GetTable per table, not per report file.
  const tables = new TableDescriptorCache(glue, config.database, retry, hooks);

  return async (event, context) => {
    if (context !== undefined) logger.addContext(context);
    const parsedEvent = parseObjectCreatedEvent(event);
    if (!parsedEvent.ok) {
      logger.warn("ignoring event that is not an S3 Object Created event", { reason: parsedEvent.reason });
      return { outcome: "ignored-event", reason: parsedEvent.reason };
    }
    const { bucket, key: rawKey } = parsedEvent.ref;
    if (config.reportsBucket !== null && bucket !== config.reportsBucket) {
      const reason = `bucket ${bucket} is not the reports bucket ${config.reportsBucket}`;
      logger.warn("ignoring event for another bucket", { bucket, key: rawKey, reason });
      return { outcome: "ignored-event", reason };
    }

    const parsed = parseReportKey(rawKey, config.tables);
    if (!parsed.ok) {
      const fields = { key: parsed.key, reason: parsed.reason, detail: parsed.message, outcome: "ignored-key" };
      if (NOT_A_REPORT.has(parsed.reason)) {
        // Manifests, folder markers, other files: expected noise, not an error.
        logger.debug("ignoring object that is not a report file", fields);
      } else {
        // A CSV under a report prefix whose folders do not fit the layout: maybe AWS changed it. Retrying cannot
        // help (no throw), but it must be visible: WARN, so a metric filter/alarm can catch it.
        logger.warn("ignoring CSV under a report prefix with an unexpected key layout", fields);
      }
      return { outcome: "ignored-key", key: parsed.key, reason: parsed.reason };
    }

    const partition = partitionRecord(parsed.partitionValues);
    const location = partitionLocation(bucket, parsed);
    const logFields = {
      key: parsed.key,
      template: parsed.template,
      tableName: parsed.tableName,
      partition,
      location,
      part: parsed.part,
    };
    for (const warning of parsed.warnings) logger.warn(warning, logFields);

    try {
      const storageDescriptor = await tables.get(parsed.tableName);
      const result = await createPartitions(glue, {
        database: config.database,
        tableName: parsed.tableName,
        storageDescriptor,
        partitions: [{ values: parsed.partitionValues, location }],
        retry,
        hooks,
      });
      const outcome = result.created.length > 0 ? "created" : "already-exists";
      logger.info(outcome === "created" ? "partition created" : "partition already exists", {
        ...logFields,
        outcome,
      });
      return { outcome, key: parsed.key, template: parsed.template, tableName: parsed.tableName, partition, location };
    } catch (err) {
      logger.error("partition registration failed", {
        ...logFields,
        outcome: "failed",
        error: err instanceof Error ? { name: err.name, message: err.message } : String(err),
      });
      throw err;
    }
  };
}

let defaultHandler: PartitionerHandler | undefined;

/**
 * Lambda entry point. Dependencies are built on the first invocation (not at import) so that a bad environment
 * fails the invocation with a clear error and tests can import the module freely.
 */
export const handler: PartitionerHandler = (event, context) => {
  if (defaultHandler === undefined) {
    const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "backup-report-partitioner" });
    // Retries live in glue-partitions (explicit, tested); the SDK's own retry would multiply them.
    defaultHandler = createHandler({ glue: new GlueClient({ maxAttempts: 1 }), logger, config: configFromEnv(process.env) });
  }
  return defaultHandler(event, context);
};
