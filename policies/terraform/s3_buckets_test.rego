package backup_audit.terraform

import rego.v1

bare := {"aws_s3_bucket": {"reports": {"bucket": "acme-reports"}, "logs": {"bucket": "acme-reports-logs"}, "bare": {"bucket": "acme-bare"}}}

test_bai101_bucket_without_encryption_fails if {
	vs := violations with input as stack_with(bare)
	[v] := by_id(vs, "BAI101")
	v.path == "resource.aws_s3_bucket.bare"
	v.file == "stacks/acme-prod-reporting/cdk.tf.json"
	v.message == "S3 bucket bare has no aws_s3_bucket_server_side_encryption_configuration"
}

test_bai101_encryption_by_literal_name_passes if {
	vs := violations with input as stack_with({})
	count(by_id(vs, "BAI101")) == 0
}

test_bai102_bucket_without_public_access_block_fails if {
	vs := violations with input as stack_with(bare)
	[v] := by_id(vs, "BAI102")
	v.path == "resource.aws_s3_bucket.bare"
}

test_bai102_partial_public_access_block_fails if {
	vs := violations with input as stack_with({"aws_s3_bucket_public_access_block": {
		"reports_pab": tf_merge(pab("${aws_s3_bucket.reports.id}"), {"restrict_public_buckets": false}),
		"logs_pab": pab("${aws_s3_bucket.logs.bucket}"),
	}})
	[v] := by_id(vs, "BAI102")
	v.path == "resource.aws_s3_bucket.reports"
}

test_bai103_bucket_without_logging_fails if {
	vs := violations with input as stack_with(bare)
	[v] := by_id(vs, "BAI103")
	v.path == "resource.aws_s3_bucket.bare"
	v.message == "S3 bucket bare has no aws_s3_bucket_logging and is no access-log target"
}

test_bai103_log_target_needs_no_logging if {
	vs := violations with input as stack_with({})
	count(by_id(vs, "BAI103")) == 0
}

test_bai104_bucket_logging_to_itself_fails if {
	vs := violations with input as stack_with({"aws_s3_bucket_logging": {"reports_logging": {
		"bucket": "${aws_s3_bucket.reports.id}",
		"target_bucket": "acme-reports",
	}}})
	[v] := by_id(vs, "BAI104")
	v.path == "resource.aws_s3_bucket.reports"
}
