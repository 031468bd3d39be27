import { randomUUID } from "node:crypto";

/**
 * The EventBridge event S3 sends for a new object when the bucket's EventBridge switch is on ("Object Created",
 * source aws.s3; https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html). The key is URL-encoded
 * as S3 puts it in events (`:` of the report file names becomes `%3A`).
 */
export interface ObjectCreatedEvent {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": "Object Created";
  readonly source: "aws.s3";
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: {
    readonly version: "0";
    readonly bucket: { readonly name: string };
    readonly object: { readonly key: string; readonly size: number; readonly etag: string; readonly sequencer: string };
    readonly "request-id": string;
    readonly requester: string;
    readonly "source-ip-address": string;
    readonly reason: "PutObject";
  };
}

export function objectCreatedEvent(o: { account: string; region: string; bucket: string; key: string; size: number; etag: string; sequence: number }): ObjectCreatedEvent {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Object Created",
    source: "aws.s3",
    account: o.account,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: o.region,
    resources: [`arn:aws:s3:::${o.bucket}`],
    detail: {
      version: "0",
      bucket: { name: o.bucket },
      object: { key: encodeURIComponent(o.key).replace(/%2F/g, "/"), size: o.size, etag: o.etag.replace(/"/g, ""), sequencer: o.sequence.toString(16).padStart(18, "0").toUpperCase() },
      "request-id": randomUUID().replace(/-/g, "").slice(0, 16).toUpperCase(),
      // AWS Backup's report delivery writes as its service-linked role.
      requester: o.account,
      "source-ip-address": "reports.backup.amazonaws.com",
      reason: "PutObject",
    },
  };
}
