import { GetBucketPolicyCommand, PutBucketPolicyCommand, PutObjectCommand, DeleteObjectCommand, S3Client } from "@aws-sdk/client-s3";

/**
 * Emulator gap of the data path (moto 5.2.6): a bucket policy's TLS-only statement (Deny `s3:*` when
 * `aws:SecureTransport` is false) refuses every object request, also over TLS: the emulator evaluates bucket
 * policies without the request's context, and reads a condition it cannot check as a deny. So while the data path
 * runs, the reports bucket's policy is the deployed one without that statement (its Allow for the reports
 * service-linked role stays). The gap is probed first: when a TLS request is no longer refused, the run fails so
 * that the workaround goes.
 */

interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Condition?: { readonly Bool?: Record<string, string> };
}

function isTlsOnlyDeny(s: PolicyStatement): boolean {
  return s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false";
}

export class GapGoneError extends Error {}

/** Returns the Sid of the statement left out and how to put the deployed policy back. */
export async function withoutTlsOnlyDeny(s3: S3Client, bucket: string): Promise<{ sid: string; restore: () => Promise<void> }> {
  const deployed = (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? "{}";
  const policy = JSON.parse(deployed) as { Statement?: PolicyStatement[] };
  const statements = policy.Statement ?? [];
  const deny = statements.find(isTlsOnlyDeny);
  if (!deny) throw new GapGoneError(`the deployed policy of ${bucket} has no TLS-only deny statement`);
  const probeKey = "e2e-probe/tls-deny-gap.txt";
  const refused = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: probeKey, Body: "probe" })).then(
    () => false,
    (err: { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode === 403,
  );
  if (!refused) {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: probeKey }));
    throw new GapGoneError(`the emulator no longer refuses a TLS PutObject on ${bucket} under its TLS-only deny: drop the workaround in rehearsal/tls-deny-gap.ts`);
  }
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ ...policy, Statement: statements.filter((s) => !isTlsOnlyDeny(s)) }) }));
  return {
    sid: deny.Sid ?? "(no Sid)",
    restore: async () => {
      await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: deployed }));
    },
  };
}
