package backup_audit.terraform

import rego.v1

test_bai107_function_without_failure_destination_fails if {
	vs := violations with input as stack_with({"aws_lambda_function_event_invoke_config": {}})
	[v] := by_id(vs, "BAI107")
	v.path == "resource.aws_lambda_function.partitioner"
}

test_bai107_invoke_config_without_on_failure_fails if {
	vs := violations with input as stack_with({"aws_lambda_function_event_invoke_config": {"p": {
		"function_name": "acme-partitioner",
		"destination_config": {"on_success": {"destination": "arn:aws:sqs:us-east-1:111122223333:ok"}},
	}}})
	count(by_id(vs, "BAI107")) == 1
}

test_bai107_dead_letter_config_passes if {
	vs := violations with input as stack_with({
		"aws_lambda_function_event_invoke_config": {},
		"aws_lambda_function": {"partitioner": {"function_name": "f", "dead_letter_config": {"target_arn": "${aws_sqs_queue.dlq.arn}"}}},
	})
	count(by_id(vs, "BAI107")) == 0
}

test_bai107_on_failure_by_literal_name_passes if {
	vs := violations with input as stack_with({"aws_lambda_function_event_invoke_config": {"p": {
		"function_name": "acme-partitioner",
		"destination_config": [{"on_failure": [{"destination": "arn:aws:sqs:us-east-1:111122223333:dlq"}]}],
	}}})
	count(by_id(vs, "BAI107")) == 0
}

# An SQS-fed function (the job-alert formatter): its failures stay in the queue, and the queue's redrive policy is
# the failure path.
sqs_fed(redrive) := stack_with({
	"aws_lambda_function_event_invoke_config": {},
	"aws_lambda_event_source_mapping": {"m": {
		"function_name": "${aws_lambda_function.partitioner.arn}",
		"event_source_arn": "${aws_sqs_queue.alerts.arn}",
	}},
	"aws_sqs_queue": {"alerts": object.union({"name": "alerts"}, redrive)},
})

test_bai107_sqs_source_with_redrive_passes if {
	vs := violations with input as sqs_fed({"redrive_policy": "{\"deadLetterTargetArn\":\"${aws_sqs_queue.dlq.arn}\",\"maxReceiveCount\":5}"})
	count(by_id(vs, "BAI107")) == 0
}

test_bai107_sqs_source_without_redrive_fails if {
	vs := violations with input as sqs_fed({})
	[v] := by_id(vs, "BAI107")
	v.message == "Lambda function partitioner has neither dead_letter_config, an on-failure destination, nor an SQS source queue with a redrive policy"
}
