package backup_audit.terraform

import rego.v1

trail(over) := {"aws_cloudtrail": {"trail": tf_merge({"name": "t", "s3_bucket_name": "acme-trail", "is_multi_region_trail": true, "enable_log_file_validation": true}, over)}}

test_bai110_single_region_trail_fails if {
	vs := violations with input as stack_with(trail({"is_multi_region_trail": false}))
	[v] := by_id(vs, "BAI110")
	v.path == "resource.aws_cloudtrail.trail"
	v.message == "CloudTrail trail trail does not set is_multi_region_trail = true"
}

test_bai110_missing_log_file_validation_fails if {
	vs := violations with input as stack_with({"aws_cloudtrail": {"trail": {"name": "t", "is_multi_region_trail": true}}})
	[v] := by_id(vs, "BAI110")
	contains(v.message, "enable_log_file_validation")
}

test_bai110_compliant_trail_passes if {
	vs := violations with input as stack_with(trail({}))
	count(vs) == 0
}

test_bai111_unencrypted_queue_fails if {
	vs := violations with input as stack_with({"aws_sqs_queue": {"dlq": {"name": "dlq"}}})
	[v] := by_id(vs, "BAI111")
	v.path == "resource.aws_sqs_queue.dlq"
}

test_bai111_encrypted_queues_pass if {
	vs := violations with input as stack_with({"aws_sqs_queue": object.union(good_resources.aws_sqs_queue, {
		"a": {"name": "a", "sqs_managed_sse_enabled": true},
		"b": {"name": "b", "kms_master_key_id": "alias/aws/sqs"},
	})})
	count(vs) == 0
}

test_bai112_log_group_without_retention_fails if {
	vs := violations with input as stack_with({"aws_cloudwatch_log_group": {"lg": {"name": "/aws/lambda/p"}}})
	[v] := by_id(vs, "BAI112")
	v.message == "log group lg keeps its events forever (no retention_in_days)"
}

test_bai112_log_group_with_retention_passes if {
	vs := violations with input as stack_with({"aws_cloudwatch_log_group": {"lg": {"name": "/aws/lambda/p", "retention_in_days": 90}}})
	count(vs) == 0
}
