import type { NormalizedLandingZone } from "../config/types";
import { partitionForRegion, s3BucketArn } from "./aws-partition";
import type { PolicyConditions, PolicyStatement } from "./constructs/policy-document";

/**
 * Bucket-policy grants on the trail's bucket, as plain data (no cdktf): the trail bucket this project creates
 * carries them, and `backup-audit validate` prints them for an existing trail's bucket (Control Tower's), whose
 * policy belongs to whoever runs that trail.
 */

/** Athena's service principal as it appears in `aws:CalledVia` (Athena user guide, "Use CalledVia context keys"). */
export const ATHENA_CALLED_VIA = "athena.amazonaws.com";

/**
 * Who in the reader accounts may read: the named roles (`aws:PrincipalArn`, any path), else any principal that IAM
 * allows, but only in requests Athena makes on its behalf (`aws:CalledVia`). The trail holds every management
 * event of the organization: an account-wide grant without a condition would let any role there read it all with
 * `aws s3 cp`.
 */
export function trailReaderCondition(readerRoleArns: readonly string[]): PolicyConditions {
  return readerRoleArns.length > 0
    ? { ArnEquals: { "aws:PrincipalArn": [...new Set(readerRoleArns)].sort() } }
    : { "ForAnyValue:StringEquals": { "aws:CalledVia": [ATHENA_CALLED_VIA] } };
}

/**
 * Read access to the log files for other accounts (the cross-account grant the trail-log table needs), narrowed
 * by trailReaderCondition; the readers' IAM policies decide within that. Empty when there is no other account.
 */
export function trailLogReaderStatements(
  partition: string,
  bucketArn: string,
  accountIds: readonly string[],
  keyPrefix = "",
  readerRoleArns: readonly string[] = [],
): PolicyStatement[] {
  if (accountIds.length === 0) return [];
  const principals = [...new Set(accountIds)].sort().map((a) => `arn:${partition}:iam::${a}:root`);
  const condition = trailReaderCondition(readerRoleArns);
  return [
    {
      Sid: "TrailLogReadersList",
      Effect: "Allow",
      Principal: { AWS: principals },
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: bucketArn,
      Condition: condition,
    },
    {
      Sid: "TrailLogReadersGet",
      Effect: "Allow",
      Principal: { AWS: principals },
      Action: "s3:GetObject",
      Resource: `${bucketArn}/${keyPrefix ? `${keyPrefix}/` : ""}AWSLogs/*`,
      Condition: condition,
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
    trail.readerRoleArns,
  );
  return statements.length > 0 ? { bucketName: trail.bucketName, statements } : null;
}
