import { S3Client } from "@aws-sdk/client-s3";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context } from "aws-lambda";
import { REPORT_DRIFT_METRIC } from "../../reports/drift-metric";
import type { HeaderReport } from "../../reports/normalize";
import { deliveryDate } from "../../reports/normalized-table";
import { parseReportKey, type KeyRejectionReason } from "../../reports/report-key";
import { configFromEnv, type PartitionerConfig } from "./config";
import { parseObjectCreatedEvent } from "./event";
import { normalizeObject } from "./normalize-object";

/**
 * EventBridge `Object Created` → the report's normalised copy (gzip JSON Lines under NORMALIZED_PREFIX).
 * Thin by design: event shape check, the pure key parser, then normalize-object. Non-report objects and
 * foreign events are logged and ignored (returning normally); an unparseable CSV or an S3 failure throws so
 * that Lambda's async retries and the on-failure destination keep the event. Partitions need no call at all:
 * the tables project `delivery_date`.
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
  | { readonly outcome: "skipped"; readonly key: string; readonly reason: string; readonly message: string }
  | {
      readonly outcome: "normalized";
      readonly key: string;
      readonly template: string;
      readonly tableName: string;
      readonly normalizedKey: string;
      /** Its recorded source (reports/normalized-source.ts), beside it under `<prefix>/_sources/`. */
      readonly sourceRecordKey: string;
      readonly rows: number;
      readonly headerSignature: string;
    };

export interface PartitionerDeps {
  readonly s3: S3Client;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly config: PartitionerConfig;
}

export type PartitionerHandler = (event: unknown, context?: Context) => Promise<PartitionerResult>;

export function createHandler(deps: PartitionerDeps): PartitionerHandler {
  const { s3, logger, metrics, config } = deps;

  const drift = (fields: Record<string, unknown>, header: HeaderReport, message: string): void => {
    logger.warn(message, {
      ...fields,
      headerSignature: header.signature,
      unknownHeaders: header.unknownHeaders,
      duplicateHeaders: header.duplicateHeaders,
      missingColumns: header.missingColumns,
      header: header.header,
    });
    metrics.addMetric(REPORT_DRIFT_METRIC.metricName, MetricUnit.Count, 1);
  };

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
        // Manifests, folder markers, JSON reports, the normalised copies themselves: expected, not an error.
        logger.debug("ignoring object that is not a report file", fields);
      } else {
        // A CSV under a report prefix whose folders do not fit the layout: maybe AWS changed it. Retrying cannot
        // help (no throw), but it must be visible: WARN, so a metric filter/alarm can catch it.
        logger.warn("ignoring CSV under a report prefix with an unexpected key layout", fields);
      }
      return { outcome: "ignored-key", key: parsed.key, reason: parsed.reason };
    }

    const fields = {
      key: parsed.key,
      template: parsed.template,
      tableName: parsed.tableName,
      deliveryDate: deliveryDate(parsed),
      part: parsed.part,
    };
    for (const warning of parsed.warnings) logger.warn(warning, fields);

    try {
      const result = await normalizeObject(s3, bucket, parsed, config.normalizedPrefix);
      if (result.kind === "skipped") {
        const { outcome } = result;
        if (outcome.reason === "no-known-columns" && outcome.header !== null) {
          drift({ ...fields, outcome: "skipped", reason: outcome.reason }, outcome.header, "report header names no known column: file skipped");
        } else {
          logger.info("report file skipped", { ...fields, outcome: "skipped", reason: outcome.reason, detail: outcome.message });
        }
        return { outcome: "skipped", key: parsed.key, reason: outcome.reason, message: outcome.message };
      }
      const { outcome, normalizedKey, sourceRecordKey } = result;
      if (outcome.header.newSignature) {
        drift({ ...fields, normalizedKey }, outcome.header, "new report header signature: headers not in the header table");
      }
      logger.info("report normalised", {
        ...fields,
        outcome: "normalized",
        normalizedKey,
        sourceRecordKey,
        rows: outcome.rows,
        bytes: outcome.bytesIn,
        sourceSha256: outcome.source.sha256,
        headerSignature: outcome.header.signature,
        derivedColumns: outcome.header.derivedColumns,
      });
      return {
        outcome: "normalized",
        key: parsed.key,
        template: parsed.template,
        tableName: parsed.tableName,
        normalizedKey,
        sourceRecordKey,
        rows: outcome.rows,
        headerSignature: outcome.header.signature,
      };
    } catch (err) {
      logger.error("report normalisation failed", {
        ...fields,
        outcome: "failed",
        error: err instanceof Error ? { name: err.name, message: err.message } : String(err),
      });
      throw err;
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
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
    const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? REPORT_DRIFT_METRIC.dimensions.service;
    defaultHandler = createHandler({
      s3: new S3Client({}),
      logger: new Logger({ serviceName }),
      metrics: new Metrics({ namespace: REPORT_DRIFT_METRIC.namespace, serviceName }),
      config: configFromEnv(process.env),
    });
  }
  return defaultHandler(event, context);
};
