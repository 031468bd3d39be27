# Test fixtures for the post-synth policies: a compliant stack in the shape cdktf synthesizes, and helpers.
package backup_audit.terraform

import rego.v1

pab(bucket) := {
	"bucket": bucket,
	"block_public_acls": true,
	"block_public_policy": true,
	"ignore_public_acls": true,
	"restrict_public_buckets": true,
}

sse(bucket) := {"bucket": bucket, "rule": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}]}

good_resources := {
	"aws_s3_bucket": {
		"reports": {"bucket": "acme-reports"},
		"logs": {"bucket": "acme-reports-logs"},
	},
	"aws_s3_bucket_server_side_encryption_configuration": {
		"reports_sse": sse("${aws_s3_bucket.reports.id}"),
		"logs_sse": sse("acme-reports-logs"),
	},
	"aws_s3_bucket_public_access_block": {
		"reports_pab": pab("${aws_s3_bucket.reports.id}"),
		"logs_pab": pab("${aws_s3_bucket.logs.bucket}"),
	},
	"aws_s3_bucket_logging": {"reports_logging": {
		"bucket": "${aws_s3_bucket.reports.id}",
		"target_bucket": "${aws_s3_bucket.logs.id}",
		"target_prefix": "reports/",
	}},
	"aws_backup_report_plan": {"backup_jobs": {
		"name": "acme_prod_backup_job_report",
		"report_delivery_channel": {"formats": ["CSV"], "s3_bucket_name": "acme-reports"},
		"report_setting": {"report_template": "BACKUP_JOB_REPORT", "accounts": ["ROOT"], "regions": ["*"]},
	}},
	"aws_iam_role_policy": {"partitioner": {
		"role": "acme-partitioner",
		"policy": {"Version": "2012-10-17", "Statement": [{"Sid": "Glue", "Effect": "Allow", "Action": ["glue:GetTable", "glue:BatchCreatePartition"], "Resource": "*"}]},
	}},
	"aws_s3_bucket_policy": {"reports": {
		"bucket": "${aws_s3_bucket.reports.id}",
		"policy": {"Statement": [{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]},
	}},
	"aws_lambda_function": {"partitioner": {"function_name": "acme-partitioner"}},
	"aws_lambda_function_event_invoke_config": {"partitioner": {
		"function_name": "${aws_lambda_function.partitioner.function_name}",
		"destination_config": {"on_failure": {"destination": "${aws_sqs_queue.dlq.arn}"}},
	}},
	"aws_cloudwatch_metric_alarm": {
		"partitioner_errors": {
			"namespace": "AWS/Lambda",
			"metric_name": "Errors",
			"dimensions": {"FunctionName": "${aws_lambda_function.partitioner.function_name}"},
			"alarm_actions": ["${aws_sns_topic.alarms.arn}"],
		},
		"dlq_depth": {
			"namespace": "AWS/SQS",
			"metric_name": "ApproximateNumberOfMessagesVisible",
			"dimensions": {"QueueName": "${aws_sqs_queue.dlq.name}"},
			"alarm_actions": ["${aws_sns_topic.alarms.arn}"],
		},
	},
	# The dead-letter queue the invoke config names (a good stack declares what its expressions refer to: BAI136).
	"aws_sqs_queue": {"dlq": {"name": "acme-partitioner-dlq", "sqs_managed_sse_enabled": true}},
	"aws_sns_topic": {"alarms": {"name": "acme-alarms", "kms_master_key_id": "alias/acme-alarms"}},
	"aws_athena_workgroup": {"wg": {
		"name": "backup-reports",
		"configuration": {
			"enforce_workgroup_configuration": true,
			"result_configuration": {"output_location": "s3://acme-reports-athena/", "encryption_configuration": {"encryption_option": "SSE_S3"}},
			"engine_version": {"selected_engine_version": "Athena engine version 3"},
		},
	}},
}

tf_merge(a, b) := {k: tf_pick(a, b, k) | some k in tf_keys(a, b)}

tf_keys(a, b) := object.keys(a) | object.keys(b)

tf_pick(a, b, k) := b[k] if {
	k in object.keys(b)
} else := a[k]

# The good stack with resource types replaced (each value: {logical id: resource}).
stack_with(over) := {"stacks": {"acme-prod-reporting": {"resource": tf_merge(good_resources, over)}}}

by_id(vs, id) := [v | some v in vs; v.id == id]

test_good_stack_passes if {
	vs := violations with input as stack_with({})
	count(vs) == 0
}

test_empty_stacks_pass if {
	vs := violations with input as {"stacks": {"empty": {}}}
	count(vs) == 0
}
