import {
  DeleteBucketPolicyCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  PutBucketLoggingCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { Credentials, EmulatorConnection } from "./organization-seed";
import type { TerraformJson } from "./stack-workspace";

/**
 * Empties the buckets a stack created (every object version and delete marker) before its destroy, as an operator
 * tearing a landing zone down would. The emulator delivers S3 server access logs, as AWS does, and Terraform
 * refuses to delete a bucket that holds objects: the stacks never set force_destroy on audit buckets, on purpose.
 * First every bucket's access logging is switched off (no new log objects while Terraform reads the buckets) and its
 * policy removed (the emulator evaluates bucket policies but not identity policies, so only an Allow in the bucket
 * policy would let the owner delete objects); Terraform's destroy then finds both already gone. Acts as the stack
 * does: the pipeline's credentials, through the stack's assume_role when it has one. Returns how many objects it
 * deleted per bucket.
 */
export async function emptyStackBuckets(
  conn: EmulatorConnection,
  pipeline: Credentials,
  config: TerraformJson & { provider?: { aws?: readonly { assume_role?: readonly { role_arn?: string }[] }[] } },
): Promise<Map<string, number>> {
  const names = Object.values(config.resource?.aws_s3_bucket ?? {})
    .map((b) => b.bucket)
    .filter((n): n is string => typeof n === "string" && !n.includes("${"));
  const deleted = new Map<string, number>();
  if (names.length === 0) return deleted;
  let credentials: Credentials = pipeline;
  const roleArn = config.provider?.aws?.[0]?.assume_role?.[0]?.role_arn;
  const base = { region: conn.region, endpoint: conn.endpoint, requestHandler: { httpsAgent: conn.agent } };
  if (roleArn) {
    const out = await new STSClient({ ...base, credentials: pipeline }).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "rehearsal-empty" }));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`no credentials for ${roleArn}`);
    credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  }
  const s3 = new S3Client({ ...base, credentials, forcePathStyle: true });
  for (const bucket of names) {
    await s3.send(new PutBucketLoggingCommand({ Bucket: bucket, BucketLoggingStatus: {} }));
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
  }
  for (const bucket of names) {
    let count = 0;
    for (let pass = 0; ; pass++) {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
        .filter((v) => v.Key)
        .map((v) => ({ Key: v.Key as string, VersionId: v.VersionId }));
      if (objects.length === 0) break;
      const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
      const done = out.Deleted?.length ?? 0;
      // A pass that deletes nothing would repeat forever: stop with what the emulator said.
      if (done === 0 || pass >= 100) {
        throw new Error(`could not empty bucket ${bucket}: ${JSON.stringify(out.Errors?.slice(0, 3) ?? [])}`);
      }
      count += done;
    }
    deleted.set(bucket, count);
  }
  return deleted;
}
