package backup_audit.terraform

import rego.v1

queue(name) := {"name": name, "sqs_managed_sse_enabled": true}

depth_alarm(queue_name) := {
	"namespace": "AWS/SQS",
	"metric_name": "ApproximateNumberOfMessagesVisible",
	"dimensions": {"QueueName": queue_name},
	"alarm_actions": ["${aws_sns_topic.alarms.arn}"],
}

errors_alarm := good_resources.aws_cloudwatch_metric_alarm.partitioner_errors

on_failure_to(arn) := {"partitioner": {
	"function_name": "${aws_lambda_function.partitioner.function_name}",
	"destination_config": {"on_failure": {"destination": arn}},
}}

# The fixture's invoke config sends failures to ${aws_sqs_queue.dlq.arn}.
test_bai130_unwatched_dead_letter_queue_fails if {
	vs := violations with input as stack_with({
		"aws_sqs_queue": {"dlq": queue("acme-dlq")},
		"aws_cloudwatch_metric_alarm": {"partitioner_errors": errors_alarm},
	})
	[v] := by_id(vs, "BAI130")
	v.path == "resource.aws_sqs_queue.dlq"
	contains(v.message, "on-failure destination of aws_lambda_function_event_invoke_config.partitioner")
}

test_bai130_alarm_by_reference_passes if {
	vs := violations with input as stack_with({
		"aws_sqs_queue": {"dlq": queue("acme-dlq")},
		"aws_cloudwatch_metric_alarm": {"errors": errors_alarm, "dlq": depth_alarm("${aws_sqs_queue.dlq.name}")},
	})
	count(vs) == 0
}

test_bai130_alarm_by_literal_name_passes if {
	vs := violations with input as stack_with({
		"aws_sqs_queue": {"dlq": queue("acme-dlq")},
		"aws_cloudwatch_metric_alarm": {"errors": errors_alarm, "dlq": depth_alarm("acme-dlq")},
	})
	count(by_id(vs, "BAI130")) == 0
}

test_bai130_alarm_on_another_metric_fails if {
	alarm := object.union(depth_alarm("acme-dlq"), {"metric_name": "NumberOfMessagesSent"})
	vs := violations with input as stack_with({
		"aws_sqs_queue": {"dlq": queue("acme-dlq")},
		"aws_cloudwatch_metric_alarm": {"errors": errors_alarm, "dlq": alarm},
	})
	count(by_id(vs, "BAI130")) == 1
}

test_bai130_alarm_without_action_fails if {
	alarm := object.union(depth_alarm("acme-dlq"), {"alarm_actions": []})
	vs := violations with input as stack_with({
		"aws_sqs_queue": {"dlq": queue("acme-dlq")},
		"aws_cloudwatch_metric_alarm": {"errors": errors_alarm, "dlq": alarm},
	})
	count(by_id(vs, "BAI130")) == 1
}

test_bai130_event_target_and_redrive_queues_are_dead_letter_queues if {
	vs := violations with input as stack_with({
		"aws_sqs_queue": {
			"events": queue("acme-events-dlq"),
			"work": object.union(queue("acme-work"), {"redrive_policy": "{\"deadLetterTargetArn\":\"${aws_sqs_queue.poison.arn}\",\"maxReceiveCount\":5}"}),
			"poison": queue("acme-poison"),
		},
		"aws_cloudwatch_event_target": {"t": {"rule": "r", "arn": "a", "dead_letter_config": {"arn": "arn:aws:sqs:us-east-1:111122223333:acme-events-dlq"}}},
	})
	[a, b] := sort([v.path | some v in by_id(vs, "BAI130")])
	a == "resource.aws_sqs_queue.events"
	b == "resource.aws_sqs_queue.poison"
}

test_bai130_redrive_policy_by_jsonencode_names_its_queue if {
	vs := violations with input as stack_with({"aws_sqs_queue": {
		"work": object.union(queue("acme-work"), {"redrive_policy": "${jsonencode({\"deadLetterTargetArn\" = aws_sqs_queue.poison.arn, \"maxReceiveCount\" = 5})}"}),
		"poison": queue("acme-poison"),
		"poison2": queue("acme-poison2"),
	}})
	[v] := by_id(vs, "BAI130")
	v.path == "resource.aws_sqs_queue.poison"
}

test_bai130_queue_that_is_no_failure_target_passes if {
	vs := violations with input as stack_with({"aws_sqs_queue": {"work": queue("acme-work")}})
	count(by_id(vs, "BAI130")) == 0
}

test_bai131_dead_letter_config_and_on_failure_into_one_queue_fails if {
	vs := violations with input as stack_with({
		"aws_sqs_queue": {"dlq": queue("acme-dlq")},
		"aws_lambda_function": {"partitioner": {"function_name": "acme-partitioner", "dead_letter_config": {"target_arn": "${aws_sqs_queue.dlq.arn}"}}},
		"aws_cloudwatch_metric_alarm": {"errors": errors_alarm, "dlq": depth_alarm("${aws_sqs_queue.dlq.name}")},
	})
	[v] := by_id(vs, "BAI131")
	v.path == "resource.aws_sqs_queue.dlq"
	v.message == "queue dlq is the target of 2 failure paths (dead_letter_config of aws_lambda_function.partitioner, on-failure destination of aws_lambda_function_event_invoke_config.partitioner): each failure may arrive more than once and the paths cannot be told apart"
	count(vs) == 1
}

test_bai131_event_target_and_function_sharing_a_queue_by_arn_fails if {
	vs := violations with input as stack_with({
		"aws_sqs_queue": {"dlq": queue("acme-dlq")},
		"aws_lambda_function_event_invoke_config": on_failure_to("arn:aws:sqs:us-east-1:111122223333:acme-dlq"),
		"aws_cloudwatch_event_target": {"t": {"rule": "r", "arn": "a", "dead_letter_config": {"arn": "${aws_sqs_queue.dlq.arn}"}}},
	})
	count(by_id(vs, "BAI131")) == 1
}

test_bai131_separate_queues_pass if {
	vs := violations with input as stack_with({
		"aws_sqs_queue": {"dlq": queue("acme-dlq"), "events": queue("acme-events-dlq")},
		"aws_cloudwatch_event_target": {"t": {"rule": "r", "arn": "a", "dead_letter_config": {"arn": "${aws_sqs_queue.events.arn}"}}},
		"aws_cloudwatch_metric_alarm": {
			"errors": errors_alarm,
			"dlq": depth_alarm("${aws_sqs_queue.dlq.name}"),
			"events": depth_alarm("${aws_sqs_queue.events.name}"),
		},
	})
	count(vs) == 0
}

test_bai132_function_without_errors_alarm_fails if {
	vs := violations with input as stack_with({"aws_cloudwatch_metric_alarm": {}})
	[v] := by_id(vs, "BAI132")
	v.path == "resource.aws_lambda_function.partitioner"
}

test_bai132_errors_alarm_by_literal_name_passes if {
	alarm := object.union(errors_alarm, {"dimensions": {"FunctionName": "acme-partitioner"}})
	dlq_depth := good_resources.aws_cloudwatch_metric_alarm.dlq_depth
	vs := violations with input as stack_with({"aws_cloudwatch_metric_alarm": {"errors": alarm, "dlq_depth": dlq_depth}})
	count(vs) == 0
}

test_bai132_errors_alarm_of_another_function_fails if {
	alarm := object.union(errors_alarm, {"dimensions": {"FunctionName": "someone-else"}})
	vs := violations with input as stack_with({"aws_cloudwatch_metric_alarm": {"errors": alarm}})
	count(by_id(vs, "BAI132")) == 1
}

test_bai133_alarm_without_actions_fails if {
	vs := violations with input as stack_with({"aws_cloudwatch_metric_alarm": {"errors": object.remove(errors_alarm, ["alarm_actions"])}})
	[v] := by_id(vs, "BAI133")
	v.path == "resource.aws_cloudwatch_metric_alarm.errors"
}

test_bai133_alarm_with_actions_disabled_fails if {
	vs := violations with input as stack_with({"aws_cloudwatch_metric_alarm": {"errors": object.union(errors_alarm, {"actions_enabled": false})}})
	[v] := by_id(vs, "BAI133")
	v.path == "resource.aws_cloudwatch_metric_alarm.errors"
}

test_bai134_unencrypted_topic_fails if {
	vs := violations with input as stack_with({"aws_sns_topic": {"alarms": {"name": "acme-alarms"}}})
	[v] := by_id(vs, "BAI134")
	v.path == "resource.aws_sns_topic.alarms"
}

test_bai135_alarm_topic_with_aws_managed_key_alias_fails if {
	vs := violations with input as stack_with({"aws_sns_topic": {"alarms": {"name": "acme-alarms", "kms_master_key_id": "alias/aws/sns"}}})
	[v] := by_id(vs, "BAI135")
	v.path == "resource.aws_sns_topic.alarms"
}

test_bai135_alarm_topic_with_aws_managed_key_alias_arn_fails if {
	key := "arn:aws:kms:us-east-1:111122223333:alias/aws/sns"
	vs := violations with input as stack_with({"aws_sns_topic": {"alarms": {"name": "acme-alarms", "kms_master_key_id": key}}})
	[v] := by_id(vs, "BAI135")
	v.path == "resource.aws_sns_topic.alarms"
}

test_bai135_topic_named_by_literal_arn_fails if {
	alarm := object.union(errors_alarm, {"alarm_actions": ["arn:aws:sns:us-east-1:111122223333:acme-alarms"]})
	vs := violations with input as stack_with({
		"aws_sns_topic": {"alarms": {"name": "acme-alarms", "kms_master_key_id": "alias/aws/sns"}},
		"aws_cloudwatch_metric_alarm": {"errors": alarm},
	})
	count(by_id(vs, "BAI135")) == 1
}

test_bai135_aws_managed_key_on_a_topic_no_alarm_notifies_passes if {
	vs := violations with input as stack_with({"aws_sns_topic": {
		"alarms": {"name": "acme-alarms", "kms_master_key_id": "alias/acme-alarms"},
		"other": {"name": "acme-other", "kms_master_key_id": "alias/aws/sns"},
	}})
	count(vs) == 0
}
