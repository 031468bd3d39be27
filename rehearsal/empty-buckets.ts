import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { Credentials, EmulatorConnection } from "./organization-seed";
import type { TerraformJson } from "./stack-workspace";

/**
 * Empties the buckets a stack created (every object version and delete marker) before its destroy. The
 * emulator delivers S3 server access logs, as AWS does, and Terraform refuses to delete a bucket that holds
 * objects: the stacks never set force_destroy on audit buckets, on purpose. Acts as the stack does: the pipeline's
 * credentials, through the stack's assume_role when it has one. Returns how many objects it deleted per bucket.
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
    let count = 0;
    for (;;) {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
        .filter((v) => v.Key)
        .map((v) => ({ Key: v.Key as string, VersionId: v.VersionId }));
      if (objects.length === 0) break;
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
      count += objects.length;
    }
    deleted.set(bucket, count);
  }
  return deleted;
}
