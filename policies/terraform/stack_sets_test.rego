package backup_audit.terraform

import rego.v1

stack_set_instance(over) := stack_with({"aws_cloudformation_stack_set_instance": {"frameworks_instance-us-east-1": tf_merge(
	{
		"stack_set_name": "acme-prod-frameworks",
		"stack_set_instance_region": "us-east-1",
		"call_as": "SELF",
		"deployment_targets": {"organizational_unit_ids": ["ou-ab12-workload1"]},
		"retain_stack": false,
		"operation_preferences": {"failure_tolerance_percentage": 10, "max_concurrent_percentage": 25},
		"timeouts": {"create": "60m", "update": "60m", "delete": "60m"},
	},
	over,
)}})

test_bai138_instance_with_preferences_and_timeouts_passes if {
	vs := violations with input as stack_set_instance({})
	count(vs) == 0
}

test_bai138_instance_without_preferences_fails if {
	vs := violations with input as stack_set_instance({"operation_preferences": null})
	[v] := by_id(vs, "BAI138")
	v.path == "resource.aws_cloudformation_stack_set_instance.frameworks_instance-us-east-1"
	v.message == "the stack-set instance of acme-prod-frameworks in us-east-1 sets no operation_preferences (CloudFormation then deploys one account at a time and stops at the first failure)"
}

test_bai138_one_account_at_a_time_fails if {
	vs := violations with input as stack_set_instance({"operation_preferences": [{"max_concurrent_count": 1, "failure_tolerance_count": 0}]})
	[v] := by_id(vs, "BAI138")
	contains(v.message, "without a concurrency above one account")
}

test_bai138_no_failure_tolerance_fails if {
	vs := violations with input as stack_set_instance({"operation_preferences": {"max_concurrent_count": 20}})
	[v] := by_id(vs, "BAI138")
	contains(v.message, "sets no failure tolerance")
}

test_bai138_no_create_timeout_fails if {
	vs := violations with input as stack_set_instance({"timeouts": {"delete": "60m"}})
	[v] := by_id(vs, "BAI138")
	contains(v.message, "sets no create timeout")
}

test_bai138_account_targets_are_not_checked if {
	vs := violations with input as stack_set_instance({"deployment_targets": null, "operation_preferences": null, "timeouts": null, "account_id": "111122223333"})
	count(by_id(vs, "BAI138")) == 0
}
