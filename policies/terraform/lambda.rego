# BAI107: every Lambda function has a destination for failed asynchronous invocations.
# EventBridge invokes the partitioner asynchronously; after Lambda's retries a failing event is dropped unless
# the function has a dead-letter queue or an on-failure destination (ARCHITECTURE.md, failure paths).
# A function fed by an SQS queue (event source mapping, the job-alert formatter) is invoked synchronously: its
# failures stay in the queue, whose redrive policy moves them to a dead-letter queue; that queue is its path.
package backup_audit.terraform

import rego.v1

has_failure_destination(_, _, fn) if {
	some dlq in blocks(object.get(fn, "dead_letter_config", []))
	is_string(dlq.target_arn)
	dlq.target_arn != ""
}

has_failure_destination(stack, id, fn) if {
	some [s, _, cfg] in resources_of("aws_lambda_function_event_invoke_config")
	s == stack
	names_function(cfg.function_name, id, fn)
	some dest in blocks(object.get(cfg, "destination_config", []))
	some failure in blocks(object.get(dest, "on_failure", []))
	is_string(failure.destination)
	failure.destination != ""
}

has_failure_destination(stack, id, fn) if {
	some [s, _, mapping] in resources_of("aws_lambda_event_source_mapping")
	s == stack
	names_function(mapping.function_name, id, fn)
	some [qs, qid, queue] in resources_of("aws_sqs_queue")
	qs == stack
	refers_to(mapping.event_source_arn, "aws_sqs_queue", qid)
	is_string(queue.redrive_policy)
	contains(queue.redrive_policy, "deadLetterTargetArn")
}

names_function(ref, id, _) if refers_to(ref, "aws_lambda_function", id)

names_function(ref, _, fn) if refers_to_name(ref, fn, "function_name")

# rule BAI107: Lambda functions have a dead-letter queue or on-failure destination
violations contains v if {
	some [stack, id, fn] in resources_of("aws_lambda_function")
	not has_failure_destination(stack, id, fn)
	v := violation(
		stack, "aws_lambda_function", id, "BAI107",
		sprintf("Lambda function %s has neither dead_letter_config, an on-failure destination, nor an SQS source queue with a redrive policy", [id]),
		"give it a dead_letter_config (SQS queue) or an aws_lambda_function_event_invoke_config with destination_config.on_failure (or, fed by an SQS queue, give that queue a redrive_policy)",
	)
}
