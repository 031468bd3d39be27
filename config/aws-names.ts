import { z } from "zod";

/**
 * Names and identifiers that AWS checks only when Terraform applies them: refused here, at the field's line,
 * instead of half-way through a deploy. Each schema's message says what AWS accepts. Rules that compare
 * fields (a key's Region against the bucket's, Regions against the partition) are Rego rules (BAI045, BAI046).
 */

// Tag keys and values of every taggable service here (Tagging API, IAM, S3, Glue, Athena, CloudTrail, Backup).
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_CHARACTERS_TEXT = "letters, digits, spaces and _ . : / = + - @";

export const tagKeySchema = z
  .string()
  .min(1, "a tag key cannot be empty")
  .max(128, "a tag key has at most 128 characters")
  .regex(TAG_CHARACTERS, `a tag key may contain only ${TAG_CHARACTERS_TEXT}`)
  .refine((key) => !/^aws:/i.test(key), "tag keys starting with aws: are reserved for AWS: choose another prefix");

export const tagValueSchema = z
  .string()
  .max(256, "a tag value has at most 256 characters")
  .regex(TAG_CHARACTERS, `a tag value may contain only ${TAG_CHARACTERS_TEXT}`);

/** AWS allows 50 user tags per resource; the project adds `backup-audit:landing-zone` to every one. */
export const MAX_CONFIG_TAGS = 49;

export const tagsSchema = z
  .record(tagKeySchema, tagValueSchema)
  .refine((tags) => Object.keys(tags).length <= MAX_CONFIG_TAGS, {
    message: `at most ${MAX_CONFIG_TAGS} tags: AWS allows 50 per resource and every resource also gets backup-audit:landing-zone`,
  });

export const iamRoleNameSchema = z
  .string()
  .regex(/^[\w+=,.@-]{1,64}$/, "an IAM role name: 1-64 letters, digits and + = , . @ _ - (no spaces, no path)");

/** An IAM role ARN, path included (what `aws:PrincipalArn` holds for the role's sessions); no wildcards. */
export const iamRoleArnSchema = z
  .string()
  .regex(
    /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
    "an IAM role ARN such as arn:aws:iam::111122223333:role/BackupAuditReader (path included, no wildcards)",
  );

/** CloudTrail's trail-name rules (CreateTrail). */
export const trailNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/,
    "a CloudTrail trail name: 3-128 ASCII letters, digits, . _ -, starting and ending with a letter or digit",
  )
  .refine((name) => !/[._-]{2}/.test(name), "a CloudTrail trail name has no adjacent . _ or - (e.g. my-_trail)")
  .refine((name) => !/^\d{1,3}(\.\d{1,3}){3}$/.test(name), "a CloudTrail trail name cannot look like an IP address");

/** A KMS key ARN (single- or multi-Region key); S3 default encryption uses it as is. */
export const kmsKeyArnSchema = z
  .string()
  .regex(
    /^arn:aws(-cn|-us-gov)?:kms:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
    "a KMS key ARN such as arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias or key id)",
  );

export const athenaWorkgroupSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,128}$/, "an Athena workgroup name: 1-128 letters, digits and . _ -");

export const dynamodbTableSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{3,255}$/, "a DynamoDB table name: 3-255 letters, digits and _ . -");
