import type { NormalizedLandingZone } from "../config/types";
import { partitionForRegion, s3BucketArn } from "./aws-partition";
import type { PolicyStatement } from "./constructs/policy-document";

/**
 * Bucket-policy grants on the trail's bucket, as plain data (no cdktf): the trail bucket this project creates
 * carries them, and `backup-audit validate` prints them for an existing trail's bucket (Control Tower's), whose
 * policy belongs to whoever runs that trail.
 */

/**
 * Read access to the log files for other accounts (the cross-account grant the trail-log table needs; the
 * readers' IAM policies and Athena decide who inside those accounts). Empty when there is no other account.
 */
export function trailLogReaderStatements(
  partition: string,
  bucketArn: string,
  accountIds: readonly string[],
  keyPrefix = "",
): PolicyStatement[] {
  if (accountIds.length === 0) return [];
  const principals = [...new Set(accountIds)].sort().map((a) => `arn:${partition}:iam::${a}:root`);
  return [
    {
      Sid: "TrailLogReadersList",
      Effect: "Allow",
      Principal: { AWS: principals },
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: bucketArn,
    },
    {
      Sid: "TrailLogReadersGet",
      Effect: "Allow",
      Principal: { AWS: principals },
      Action: "s3:GetObject",
      Resource: `${bucketArn}/${keyPrefix ? `${keyPrefix}/` : ""}AWSLogs/*`,
    },
  ];
}

/** The existing trail's bucket and the statements its policy needs so that the analytics account can query it. */
export function existingTrailBucketRequirement(
  lz: NormalizedLandingZone,
): { bucketName: string; statements: PolicyStatement[] } | null {
  const trail = lz.auditTrail;
  if (!trail || trail.create || !trail.bucketName || !lz.analytics.enabled) return null;
  const statements = trailLogReaderStatements(
    partitionForRegion(trail.bucketRegion),
    s3BucketArn(partitionForRegion(trail.bucketRegion), trail.bucketName),
    [lz.reports.accountId].filter((a) => a !== trail.bucketAccountId),
    trail.keyPrefix,
  );
  return statements.length > 0 ? { bucketName: trail.bucketName, statements } : null;
}
