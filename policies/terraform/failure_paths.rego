# BAI130, BAI131: dead-letter queues are watched, and each is fed by one failure path.
# A failure that lands in a queue nobody watches is as lost as a dropped one (issue 10, "failures nobody
# sees"); a queue fed by two paths for the same function (Lambda's dead_letter_config and its on-failure
# destination) receives every failure twice.
package backup_audit.terraform

import rego.v1

# Every failure path of the stacks: [stack, description, target ARN expression].
failure_paths contains [stack, sprintf("dead_letter_config of aws_lambda_function.%s", [id]), dlq.target_arn] if {
	some [stack, id, fn] in resources_of("aws_lambda_function")
	some dlq in blocks(object.get(fn, "dead_letter_config", []))
}

failure_paths contains [stack, sprintf("on-failure destination of aws_lambda_function_event_invoke_config.%s", [id]), f.destination] if {
	some [stack, id, cfg] in resources_of("aws_lambda_function_event_invoke_config")
	some dest in blocks(object.get(cfg, "destination_config", []))
	some f in blocks(object.get(dest, "on_failure", []))
}

failure_paths contains [stack, sprintf("dead_letter_config of aws_cloudwatch_event_target.%s", [id]), dlq.arn] if {
	some [stack, id, target] in resources_of("aws_cloudwatch_event_target")
	some dlq in blocks(object.get(target, "dead_letter_config", []))
}

# A redrive policy is a JSON string (jsonencode); the queue is found by its reference inside it.
failure_paths contains [stack, sprintf("redrive_policy of aws_sqs_queue.%s", [id]), q.redrive_policy] if {
	some [stack, id, q] in resources_of("aws_sqs_queue")
	is_string(q.redrive_policy)
}

# The expression names the queue: `aws_sqs_queue.<id>.arn` (as `${…}`, or inside a `${jsonencode(…)}` redrive
# policy), or its literal ARN.
targets_queue(expr, id, _) if {
	is_string(expr)
	contains(expr, concat("", ["aws_sqs_queue.", id, ".arn"]))
}

targets_queue(expr, _, q) if {
	is_string(expr)
	startswith(expr, "arn:")
	is_string(q.name)
	endswith(expr, concat("", [":", q.name]))
}

# Paths feeding a queue, by description.
paths_into(stack, id, q) := {desc |
	some [s, desc, expr] in failure_paths
	s == stack
	targets_queue(expr, id, q)
}

# The alarm watches the queue's depth and notifies someone.
watches_queue(alarm, id, q) if {
	alarm.namespace == "AWS/SQS"
	alarm.metric_name == "ApproximateNumberOfMessagesVisible"
	dims := object.get(alarm, "dimensions", {})
	queue_named(object.get(dims, "QueueName", null), id, q)
	count(object.get(alarm, "alarm_actions", [])) > 0
}

queue_named(ref, id, _) if refers_to(ref, "aws_sqs_queue", id)

queue_named(ref, _, q) if refers_to_name(ref, q, "name")

queue_alarmed(stack, id, q) if {
	some [s, _, alarm] in resources_of("aws_cloudwatch_metric_alarm")
	s == stack
	watches_queue(alarm, id, q)
}

# rule BAI130: Every dead-letter queue has a depth alarm with an action
violations contains v if {
	some [stack, id, q] in resources_of("aws_sqs_queue")
	count(paths_into(stack, id, q)) > 0
	not queue_alarmed(stack, id, q)
	v := violation(
		stack, "aws_sqs_queue", id, "BAI130",
		sprintf("dead-letter queue %s (%s) has no CloudWatch alarm on ApproximateNumberOfMessagesVisible with an alarm action", [id, concat(", ", sort(paths_into(stack, id, q)))]),
		"add an aws_cloudwatch_metric_alarm on AWS/SQS ApproximateNumberOfMessagesVisible, dimension QueueName = the queue's name, threshold 1, alarm_actions = an SNS topic",
	)
}

# rule BAI131: Each dead-letter queue is fed by one failure path only
violations contains v if {
	some [stack, id, q] in resources_of("aws_sqs_queue")
	paths := paths_into(stack, id, q)
	count(paths) > 1
	v := violation(
		stack, "aws_sqs_queue", id, "BAI131",
		sprintf("queue %s is the target of %d failure paths (%s): each failure may arrive more than once and the paths cannot be told apart", [id, count(paths), concat(", ", sort(paths))]),
		"give each failure path its own queue; for a Lambda function use the on-failure destination or dead_letter_config, not both",
	)
}
