# BAI132-BAI135: function errors alarm, alarms notify someone, and the topic they notify can be published to.
# An alarm without an action only changes colour in a console nobody watches. CloudWatch cannot use the
# AWS-managed key alias/aws/sns (its key policy does not admit CloudWatch and cannot be changed), so an alarm
# notifying a topic encrypted with it fails on every publish.
package backup_audit.terraform

import rego.v1

has_actions(alarm) if {
	count(object.get(alarm, "alarm_actions", [])) > 0
	object.get(alarm, "actions_enabled", true) != false
}

watches_errors(alarm, id, fn) if {
	alarm.namespace == "AWS/Lambda"
	alarm.metric_name == "Errors"
	names_function(object.get(object.get(alarm, "dimensions", {}), "FunctionName", null), id, fn)
	has_actions(alarm)
}

errors_alarmed(stack, id, fn) if {
	some [s, _, alarm] in resources_of("aws_cloudwatch_metric_alarm")
	s == stack
	watches_errors(alarm, id, fn)
}

# rule BAI132: Every Lambda function has an Errors alarm with an action
violations contains v if {
	some [stack, id, fn] in resources_of("aws_lambda_function")
	not errors_alarmed(stack, id, fn)
	v := violation(
		stack, "aws_lambda_function", id, "BAI132",
		sprintf("Lambda function %s has no CloudWatch alarm on AWS/Lambda Errors with an alarm action", [id]),
		"add an aws_cloudwatch_metric_alarm on AWS/Lambda Errors, dimension FunctionName = the function's name, statistic Sum, threshold 1, alarm_actions = an SNS topic",
	)
}

# rule BAI133: Every CloudWatch alarm has an enabled alarm action
violations contains v if {
	some [stack, id, alarm] in resources_of("aws_cloudwatch_metric_alarm")
	not has_actions(alarm)
	v := violation(
		stack, "aws_cloudwatch_metric_alarm", id, "BAI133",
		sprintf("CloudWatch alarm %s notifies nobody (no alarm_actions, or actions_enabled = false)", [id]),
		"set alarm_actions to an SNS topic (and leave actions_enabled at true)",
	)
}

# rule BAI134: SNS topics are encrypted with KMS
violations contains v if {
	some [stack, id, topic] in resources_of("aws_sns_topic")
	not is_string(object.get(topic, "kms_master_key_id", null))
	v := violation(
		stack, "aws_sns_topic", id, "BAI134",
		sprintf("SNS topic %s has no kms_master_key_id", [id]),
		"encrypt it with a customer-managed KMS key whose policy admits the topic's publishers",
	)
}

aws_managed_sns_key("alias/aws/sns")

aws_managed_sns_key(key) if endswith(key, ":alias/aws/sns")

# The alarm's actions name the topic (by reference to its ARN, or its literal ARN).
notifies_topic(alarm, id, _) if {
	some action in object.get(alarm, "alarm_actions", [])
	refers_to(action, "aws_sns_topic", id)
}

notifies_topic(alarm, _, topic) if {
	is_string(topic.name)
	suffix := concat("", [":", topic.name])
	some action in object.get(alarm, "alarm_actions", [])
	is_string(action)
	startswith(action, "arn:")
	endswith(action, suffix)
}

# rule BAI135: Topics that CloudWatch alarms notify do not use the AWS-managed key alias/aws/sns
violations contains v if {
	some [stack, id, topic] in resources_of("aws_sns_topic")
	aws_managed_sns_key(topic.kms_master_key_id)
	some [s, _, alarm] in resources_of("aws_cloudwatch_metric_alarm")
	s == stack
	notifies_topic(alarm, id, topic)
	v := violation(
		stack, "aws_sns_topic", id, "BAI135",
		sprintf("SNS topic %s is encrypted with alias/aws/sns, which CloudWatch alarms cannot use: their notifications would fail", [id]),
		"encrypt the topic with a customer-managed key whose policy allows cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*",
	)
}
