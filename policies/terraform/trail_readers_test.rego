package backup_audit.terraform

import rego.v1

trail_policy(reader) := {"Version": "2012-10-17", "Statement": [
	{
		"Sid": "AWSCloudTrailWrite",
		"Effect": "Allow",
		"Principal": {"Service": "cloudtrail.amazonaws.com"},
		"Action": "s3:PutObject",
		"Resource": "arn:aws:s3:::acme-trail/AWSLogs/111122223333/*",
		"Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/acme"}},
	},
	reader,
]}

reader_grant(principal, condition) := object.union(
	{"Sid": "TrailLogReadersGet", "Effect": "Allow", "Principal": principal, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-trail/AWSLogs/*"},
	condition,
)

trail_bucket_input(reader) := {"stacks": {"acme-prod-trail-bucket": {"resource": {"aws_s3_bucket_policy": {"trail": {
	"bucket": "acme-trail",
	"policy": trail_policy(reader),
}}}}}}

test_bai137_unconditioned_account_read_fails if {
	vs := violations with input as trail_bucket_input(reader_grant({"AWS": ["arn:aws:iam::222233334444:root"]}, {}))
	[v] := by_id(vs, "BAI137")
	v.file == "stacks/acme-prod-trail-bucket/cdk.tf.json"
	v.path == "resource.aws_s3_bucket_policy.trail"
	v.message == "the policy of trail bucket acme-trail lets arn:aws:iam::222233334444:root read the trail's log files (statement TrailLogReadersGet) without a condition: every principal there that IAM allows s3:GetObject reads every management event of the organization"
}

test_bai137_account_id_everyone_and_wildcard_actions_fail if {
	count(by_id(violations, "BAI137")) == 1 with input as trail_bucket_input(reader_grant({"AWS": "222233334444"}, {}))
	count(by_id(violations, "BAI137")) == 1 with input as trail_bucket_input(object.union(reader_grant("*", {}), {"Action": ["s3:Get*"]}))
	count(by_id(violations, "BAI137")) == 1 with input as trail_bucket_input(reader_grant({"AWS": "*"}, {}))
}

test_bai137_unrelated_condition_does_not_narrow if {
	condition := {"Condition": {"Bool": {"aws:SecureTransport": "true"}}}
	vs := violations with input as trail_bucket_input(reader_grant({"AWS": "arn:aws:iam::222233334444:root"}, condition))
	count(by_id(vs, "BAI137")) == 1
}

test_bai137_athena_only_passes if {
	condition := {"Condition": {"ForAnyValue:StringEquals": {"aws:CalledVia": ["athena.amazonaws.com"]}}}
	vs := violations with input as trail_bucket_input(reader_grant({"AWS": ["arn:aws:iam::222233334444:root"]}, condition))
	count(vs) == 0
}

test_bai137_named_roles_pass if {
	condition := {"Condition": {"ArnEquals": {"aws:PrincipalArn": ["arn:aws:iam::222233334444:role/Reader"]}}}
	vs := violations with input as trail_bucket_input(reader_grant({"AWS": ["arn:aws:iam::222233334444:root"]}, condition))
	count(vs) == 0
}

test_bai137_a_role_principal_is_not_account_wide if {
	vs := violations with input as trail_bucket_input(reader_grant({"AWS": "arn:aws:iam::222233334444:role/Reader"}, {}))
	count(vs) == 0
}

test_bai137_a_bucket_a_trail_writes_to_is_a_trail_bucket if {
	policy := {"Statement": [reader_grant({"AWS": "arn:aws:iam::222233334444:root"}, {})]}
	doc := {"stacks": {
		"bucket": {"resource": {"aws_s3_bucket_policy": {"trail": {"bucket": "acme-trail", "policy": policy}}}},
		"trail": {"resource": {"aws_cloudtrail": {"t": {"name": "acme", "s3_bucket_name": "acme-trail", "is_multi_region_trail": true, "enable_log_file_validation": true}}}},
	}}
	count(by_id(violations, "BAI137")) == 1 with input as doc
}

test_bai137_other_buckets_are_not_checked if {
	policy := {"Statement": [reader_grant({"AWS": "arn:aws:iam::222233334444:root"}, {})]}
	doc := {"stacks": {"s": {"resource": {"aws_s3_bucket_policy": {"reports": {"bucket": "acme-reports", "policy": policy}}}}}}
	count(by_id(violations, "BAI137")) == 0 with input as doc
}
