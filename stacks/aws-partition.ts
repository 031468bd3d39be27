/**
 * ARN helpers. The partition is derived from the Region so that ARNs stay literal strings in the synthesized
 * JSON (the post-synth Rego checks read them) instead of `data.aws_partition` references.
 */

/** `aws`, `aws-cn` or `aws-us-gov` for a Region name. */
export function partitionForRegion(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** `arn:<partition>:s3:::<bucket>`: bucket ARNs carry neither Region nor account. */
export function s3BucketArn(partition: string, bucketName: string): string {
  return `arn:${partition}:s3:::${bucketName}`;
}

/** The role AWS Backup Audit Manager writes reports with (fact sheet §5.1): an IAM role ARN, not a service principal. */
export function backupReportsServiceLinkedRoleArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports`;
}
