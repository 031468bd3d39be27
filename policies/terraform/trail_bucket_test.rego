package backup_audit.terraform

import rego.v1

trail_write(arn) := {
	"Sid": "AWSCloudTrailWrite", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
	"Action": "s3:PutObject", "Resource": ["arn:aws:s3:::acme-trail/AWSLogs/o-abc123def4/*"],
	"Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": arn}},
}

# The trail in one stack (management account), its bucket policy in another (log archive).
two_stacks(statement) := {"stacks": {
	"acme-audit-trail": {"resource": {"aws_cloudtrail": {"t": {"name": "acme-events", "s3_bucket_name": "acme-trail", "is_multi_region_trail": true, "enable_log_file_validation": true}}}},
	"acme-trail-bucket": {"resource": {"aws_s3_bucket_policy": {"p": {"bucket": "acme-trail", "policy": {"Statement": [statement]}}}}},
}}

test_bai126_trail_admitted_across_stacks_passes if {
	vs := violations with input as two_stacks(trail_write("arn:aws:cloudtrail:us-east-1:111122223333:trail/acme-events"))
	count(vs) == 0
}

test_bai126_other_trail_fails if {
	vs := violations with input as two_stacks(trail_write("arn:aws:cloudtrail:us-east-1:111122223333:trail/other"))
	[v] := by_id(vs, "BAI126")
	v.file == "stacks/acme-trail-bucket/cdk.tf.json"
	v.path == "resource.aws_s3_bucket_policy.p"
	v.message == "the policy of bucket acme-trail, which trail acme-events writes to, does not admit cloudtrail.amazonaws.com s3:PutObject with aws:SourceArn of that trail"
}

test_bai126_no_source_arn_fails if {
	vs := violations with input as two_stacks(object.remove(trail_write(""), ["Condition"]))
	count(by_id(vs, "BAI126")) == 1
}

test_bai126_existing_bucket_not_checked if {
	vs := violations with input as {"stacks": {"a": {"resource": {"aws_cloudtrail": {"t": {"name": "x", "s3_bucket_name": "elsewhere", "is_multi_region_trail": true, "enable_log_file_validation": true}}}}}}
	count(vs) == 0
}
