/**
 * Shape check of the EventBridge S3 `Object Created` event (fact sheet §7). The rule already filters on source,
 * detail-type, bucket and key prefix, so anything else reaching the function is a misrouted or test event: the
 * handler logs and ignores it rather than failing (a failure would only fill the DLQ with unfixable events).
 */

export interface ObjectCreatedRef {
  readonly bucket: string;
  /** `detail.object.key` exactly as delivered (possibly percent-encoded). */
  readonly key: string;
  readonly eventId: string | null;
  readonly eventTime: string | null;
}

export type ObjectCreatedParse = { ok: true; ref: ObjectCreatedRef } | { ok: false; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseObjectCreatedEvent(event: unknown): ObjectCreatedParse {
  if (!isRecord(event)) return { ok: false, reason: "event is not an object" };
  if (event.source !== "aws.s3") return { ok: false, reason: `source is ${JSON.stringify(event.source)}, not aws.s3` };
  if (event["detail-type"] !== "Object Created") {
    return { ok: false, reason: `detail-type is ${JSON.stringify(event["detail-type"])}, not Object Created` };
  }
  const detail = event.detail;
  if (!isRecord(detail) || !isRecord(detail.bucket) || !isRecord(detail.object)) {
    return { ok: false, reason: "detail.bucket / detail.object missing" };
  }
  const bucket = detail.bucket.name;
  const key = detail.object.key;
  if (typeof bucket !== "string" || bucket.length === 0) return { ok: false, reason: "detail.bucket.name missing" };
  if (typeof key !== "string" || key.length === 0) return { ok: false, reason: "detail.object.key missing" };
  return {
    ok: true,
    ref: {
      bucket,
      key,
      eventId: typeof event.id === "string" ? event.id : null,
      eventTime: typeof event.time === "string" ? event.time : null,
    },
  };
}
