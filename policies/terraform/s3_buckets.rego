# BAI101, BAI102, BAI103, BAI104: every S3 bucket is encrypted, blocks public access and (unless it receives
# access logs itself) delivers server access logs to another bucket. These are the controls Security Hub checks
# (S3.4/S3.8/S3.9, CloudTrail.7); in provider v4+ each is a separate resource that is easy to forget.
package backup_audit.terraform

import rego.v1

# The stack's resources of `type` whose `bucket` attribute names bucket `id` (by reference or literal name).
bucket_configs(stack, type, id, bucket) := [r |
	some r in object.get(object.get(input.stacks[stack], "resource", {}), type, {})
	names_bucket(r.bucket, id, bucket)
]

names_bucket(ref, id, _) if refers_to(ref, "aws_s3_bucket", id)

names_bucket(ref, _, bucket) if refers_to_name(ref, bucket, "bucket")

# A bucket that some aws_s3_bucket_logging (in any stack) uses as target.
log_target(stack, id, _) if {
	some [s, _, logging] in resources_of("aws_s3_bucket_logging")
	s == stack
	refers_to(logging.target_bucket, "aws_s3_bucket", id)
}

log_target(_, _, bucket) if {
	some [_, _, logging] in resources_of("aws_s3_bucket_logging")
	refers_to_name(logging.target_bucket, bucket, "bucket")
}

# rule BAI101: S3 buckets have server-side encryption
violations contains v if {
	some [stack, id, bucket] in resources_of("aws_s3_bucket")
	not has_encryption(stack, id, bucket)
	v := violation(
		stack, "aws_s3_bucket", id, "BAI101",
		sprintf("S3 bucket %s has no aws_s3_bucket_server_side_encryption_configuration", [id]),
		"add a server-side encryption configuration (SSE-S3, or SSE-KMS with a key policy for its writers) for the bucket",
	)
}

has_encryption(stack, id, bucket) if {
	some c in bucket_configs(stack, "aws_s3_bucket_server_side_encryption_configuration", id, bucket)
	some rule in blocks(object.get(c, "rule", []))
	some d in blocks(object.get(rule, "apply_server_side_encryption_by_default", []))
	is_string(d.sse_algorithm)
}

# rule BAI102: S3 buckets block public access
violations contains v if {
	some [stack, id, bucket] in resources_of("aws_s3_bucket")
	not blocks_public_access(stack, id, bucket)
	v := violation(
		stack, "aws_s3_bucket", id, "BAI102",
		sprintf("S3 bucket %s has no aws_s3_bucket_public_access_block with all four settings true", [id]),
		"add an aws_s3_bucket_public_access_block with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets set to true",
	)
}

blocks_public_access(stack, id, bucket) if {
	some c in bucket_configs(stack, "aws_s3_bucket_public_access_block", id, bucket)
	c.block_public_acls == true
	c.block_public_policy == true
	c.ignore_public_acls == true
	c.restrict_public_buckets == true
}

# rule BAI103: S3 buckets deliver server access logs (unless they are a log target)
violations contains v if {
	some [stack, id, bucket] in resources_of("aws_s3_bucket")
	not log_target(stack, id, bucket)
	count(bucket_configs(stack, "aws_s3_bucket_logging", id, bucket)) == 0
	v := violation(
		stack, "aws_s3_bucket", id, "BAI103",
		sprintf("S3 bucket %s has no aws_s3_bucket_logging and is no access-log target", [id]),
		"add an aws_s3_bucket_logging that delivers the bucket's server access logs to a separate log bucket",
	)
}

# rule BAI104: S3 buckets do not log to themselves
violations contains v if {
	some [stack, id, bucket] in resources_of("aws_s3_bucket")
	some logging in bucket_configs(stack, "aws_s3_bucket_logging", id, bucket)
	names_bucket(logging.target_bucket, id, bucket)
	v := violation(
		stack, "aws_s3_bucket", id, "BAI104",
		sprintf("S3 bucket %s delivers its server access logs to itself, an endless loop of log objects", [id]),
		"set target_bucket of its aws_s3_bucket_logging to a separate log bucket",
	)
}
