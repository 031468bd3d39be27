import type { NormalizedLandingZone } from "../config/types";
import { backupReportsServiceLinkedRoleArn, partitionForRegion } from "./aws-partition";
import type { PolicyStatement } from "./constructs/policy-document";

/**
 * KMS key-policy statements, as plain data (no cdktf): the keys this project creates carry them, and
 * `backup-audit validate` prints them for a key the config names by ARN (whose policy someone else manages).
 *
 * KMS refuses a policy naming a principal that does not exist yet. The reports service-linked role is named
 * directly (its AWS-managed policy has no KMS actions, so only the key policy can grant them); the reporting
 * stack applies the key policy after the report plans, which create the role. The partitioner role is created
 * later, by the analytics stack: it is granted through the account root with an `aws:PrincipalArn` condition,
 * which delegates to IAM, so the role's own policy must allow the same actions.
 */

/** Key administration for the account (no use of the key for data): keeps the key manageable. */
export function keyAdministrationStatement(partition: string, accountId: string): PolicyStatement {
  return {
    Sid: "KeyAdministration",
    Effect: "Allow",
    Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
    Action: [
      "kms:Create*",
      "kms:Describe*",
      "kms:Enable*",
      "kms:List*",
      "kms:Put*",
      "kms:Update*",
      "kms:Revoke*",
      "kms:Disable*",
      "kms:Get*",
      "kms:Delete*",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:ScheduleKeyDeletion",
      "kms:CancelKeyDeletion",
    ],
    Resource: "*",
  };
}

/** AWS Backup's reports role writes SSE-KMS report objects: kms:GenerateDataKey and kms:Decrypt (fact sheet §12). */
export function backupReportsKeyStatement(partition: string, accountId: string): PolicyStatement {
  return {
    Sid: "BackupReportsDelivery",
    Effect: "Allow",
    Principal: { AWS: backupReportsServiceLinkedRoleArn(partition, accountId) },
    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
    Resource: "*",
  };
}

/** The partitioner reads raw reports and writes the normalised copy into the same bucket. */
export function partitionerKeyStatement(partition: string, accountId: string, roleArn: string): PolicyStatement {
  return {
    Sid: "ReportPartitioner",
    Effect: "Allow",
    Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
    Resource: "*",
    Condition: { ArnEquals: { "aws:PrincipalArn": roleArn } },
  };
}

/**
 * Principals of `accountIds` read objects encrypted with the key, through S3 only (Athena queries read the
 * data with the caller's credentials through S3).
 */
export function s3ReadersKeyStatement(sid: string, partition: string, accountIds: readonly string[], region: string): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { AWS: [...new Set(accountIds)].sort().map((a) => `arn:${partition}:iam::${a}:root`) },
    Action: "kms:Decrypt",
    Resource: "*",
    Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
  };
}

/** Athena writes encrypted query results through S3 with the querying principal's credentials. */
export function athenaResultsKeyStatement(partition: string, accountId: string, region: string): PolicyStatement {
  return {
    Sid: "AthenaQueryResults",
    Effect: "Allow",
    Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
    Resource: "*",
    Condition: { StringEquals: { "kms:ViaService": [`s3.${region}.amazonaws.com`, `athena.${region}.amazonaws.com`] } },
  };
}

/**
 * CloudTrail encrypts the trail's log files (Security Hub CloudTrail.2): GenerateDataKey* for this trail only
 * (`aws:SourceArn`) with the CloudTrail encryption context of the trail account, DescribeKey for the key check.
 */
export function cloudTrailKeyStatements(partition: string, trailArn: string, trailAccountId: string): PolicyStatement[] {
  return [
    {
      Sid: "CloudTrailEncrypt",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": trailArn },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${partition}:cloudtrail:*:${trailAccountId}:trail/*` },
      },
    },
    {
      Sid: "CloudTrailDescribeKey",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": trailArn } },
    },
  ];
}

/** The partitioner role's ARN (its name is fixed by the analytics stack: `<lz>-report-partitioner-role`). */
export function partitionerRoleArn(lz: NormalizedLandingZone): string {
  return `arn:${partitionForRegion(lz.reports.region)}:iam::${lz.reports.accountId}:role/${lz.name}-report-partitioner-role`;
}

/** `arn:<p>:cloudtrail:<region>:<account>:trail/<name>`: known before the trail exists, so policies can name it. */
export function trailArnOf(trail: NonNullable<NormalizedLandingZone["auditTrail"]>): string {
  return `arn:${partitionForRegion(trail.region)}:cloudtrail:${trail.region}:${trail.accountId}:trail/${trail.name}`;
}

/** Statements a key needs for one use; `purpose` names the use, `field` the config field naming the key. */
export interface KeyRequirement {
  readonly field: string;
  readonly keyArn: string;
  readonly purpose: string;
  readonly statements: PolicyStatement[];
}

/** Alias name (without `alias/`) of the reports key a landing zone creates; the partitioner's grant names it. */
export function reportsKeyAlias(lz: NormalizedLandingZone): string {
  return `${lz.name}-backup-reports`;
}

/** Statements of the reports key (reports bucket and the normalised data under it). */
export function reportsKeyStatements(lz: NormalizedLandingZone): PolicyStatement[] {
  const p = partitionForRegion(lz.reports.region);
  const statements = [backupReportsKeyStatement(p, lz.reports.accountId)];
  if (lz.analytics.enabled) {
    statements.push(
      partitionerKeyStatement(p, lz.reports.accountId, partitionerRoleArn(lz)),
      s3ReadersKeyStatement("ReportReaders", p, [lz.reports.accountId], lz.reports.region),
    );
  }
  return statements;
}

/** Statements of the trail key: CloudTrail, and readers in the analytics account (Athena) and the bucket account. */
export function trailKeyStatements(lz: NormalizedLandingZone): PolicyStatement[] {
  const trail = lz.auditTrail;
  if (!trail) return [];
  const p = partitionForRegion(trail.region);
  const readers = [trail.bucketAccountId, ...(lz.analytics.enabled ? [lz.reports.accountId] : [])];
  const statements = trail.create ? cloudTrailKeyStatements(p, trailArnOf(trail), trail.accountId) : [];
  return [...statements, s3ReadersKeyStatement("TrailLogReaders", p, readers, trail.bucketRegion)];
}

/**
 * Keys the config names by ARN and the statements their policies must contain (printed by `validate`): this
 * project cannot edit a key policy it does not own.
 */
export function existingKeyRequirements(lz: NormalizedLandingZone): KeyRequirement[] {
  const out: KeyRequirement[] = [];
  if (lz.reports.kmsKeyArn) {
    out.push({
      field: "reports.kmsKeyArn",
      keyArn: lz.reports.kmsKeyArn,
      purpose: "reports bucket (report delivery, normalised data, queries)",
      statements: reportsKeyStatements(lz),
    });
  }
  if (lz.analytics.enabled && lz.analytics.kmsKeyArn) {
    out.push({
      field: "analytics.kmsKeyArn",
      keyArn: lz.analytics.kmsKeyArn,
      purpose: "Athena query results",
      statements: [athenaResultsKeyStatement(partitionForRegion(lz.reports.region), lz.reports.accountId, lz.reports.region)],
    });
  }
  const trail = lz.auditTrail;
  if (trail?.kmsKeyArn) {
    out.push({
      field: trail.create ? "auditTrail.kmsKeyArn" : "auditTrail.existingTrail.kmsKeyArn",
      keyArn: trail.kmsKeyArn,
      purpose: trail.create ? "trail log files" : "the existing trail's log files (read by Athena)",
      statements: trailKeyStatements(lz),
    });
  }
  return out;
}
