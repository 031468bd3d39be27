import { PassThrough, Readable } from "node:stream";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { normalizeReport, type NormalizeOutcome, type NormalizedSink } from "../../reports/normalize";
import { normalizedObjectKey } from "../../reports/normalized-table";
import { normalizedSourceKey, normalizedSourceRecord, serializeNormalizedSource } from "../../reports/normalized-source";
import type { ParsedReportKey } from "../../reports/report-key";

/**
 * One raw report object in S3 → its normalised copy in the same bucket, streamed both ways (GetObject body →
 * normaliser → multipart upload). Shared by the Lambda and `backup-audit backfill`. The upload becomes
 * visible only when it completes; any failure aborts it, so no partial object is ever published.
 *
 * After the copy, its recorded source (reports/normalized-source.ts) is written beside it: the raw object's
 * size, SHA-256 and ETag, the copy's size and SHA-256. Copy first, record second: a record always names bytes
 * that were published, and a copy rewritten without its record (a failure between the two writes, retried)
 * no longer matches the old record's digest, which a reader detects.
 */

/** The outcome, where the copy is (or would have been) written, and where its recorded source was written. */
export type NormalizeObjectResult =
  | {
      readonly kind: "normalized";
      readonly outcome: Extract<NormalizeOutcome, { kind: "normalized" }>;
      readonly normalizedKey: string;
      readonly sourceRecordKey: string;
    }
  | { readonly kind: "skipped"; readonly outcome: Extract<NormalizeOutcome, { kind: "skipped" }>; readonly normalizedKey: string };

/** An S3 sink: a multipart upload (single PUT for small files) that is aborted on failure. */
export function s3Sink(s3: S3Client, bucket: string, key: string): NormalizedSink {
  const stream = new PassThrough();
  const upload = new Upload({
    client: s3,
    // No Content-Encoding: HTTP clients would inflate the object on download and keep the .gz name.
    params: { Bucket: bucket, Key: key, Body: stream, ContentType: "application/gzip" },
    // 5 MiB parts, 2 in flight: bounded memory whatever the report size.
    queueSize: 2,
    leavePartsOnError: false,
  });
  const done = upload.done();
  done.catch(() => undefined);
  return {
    stream,
    commit: async () => {
      await done;
    },
    abort: async () => {
      stream.destroy();
      await upload.abort().catch(() => undefined);
      await done.catch(() => undefined);
    },
  };
}

export async function normalizeObject(
  s3: S3Client,
  bucket: string,
  parsed: ParsedReportKey,
  normalizedPrefix: string,
): Promise<NormalizeObjectResult> {
  const normalizedKey = normalizedObjectKey(parsed, normalizedPrefix);
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: parsed.key }));
  const body = object.Body;
  if (!(body instanceof Readable)) throw new Error(`s3://${bucket}/${parsed.key}: GetObject returned no stream`);
  const outcome = await normalizeReport(body, parsed, () => s3Sink(s3, bucket, normalizedKey));
  if (outcome.kind === "skipped") return { kind: "skipped", outcome, normalizedKey };
  const sourceRecordKey = normalizedSourceKey(normalizedKey, normalizedPrefix);
  const record = normalizedSourceRecord(outcome, parsed.key, normalizedKey, object.ETag ?? null);
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: sourceRecordKey, Body: serializeNormalizedSource(record), ContentType: "application/json" }),
  );
  return { kind: "normalized", outcome, normalizedKey, sourceRecordKey };
}
