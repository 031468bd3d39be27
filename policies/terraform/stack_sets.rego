# BAI138: the frameworks StackSet's first rollout into the organization.
# A stack-set instance's CreateStackInstances creates a stack in every account of its target OUs. The StackSet's
# own operation preferences do not apply to it: without preferences of its own CloudFormation deploys one account
# at a time and stops at the first failure, and Terraform waits only for the instance's create timeout (30 minutes
# by default), so an organization of hundreds of accounts times out or stops on one account.
package backup_audit.terraform

import rego.v1

targets_ous(inst) if {
	some dt in blocks(object.get(inst, "deployment_targets", []))
	count(object.get(dt, "organizational_unit_ids", [])) > 0
}

# More than one account at a time: a percentage, or a count above one.
concurrent(prefs) if prefs.max_concurrent_percentage >= 1

concurrent(prefs) if prefs.max_concurrent_count > 1

rollout_problem(inst) := "sets no operation_preferences (CloudFormation then deploys one account at a time and stops at the first failure)" if {
	first_block(inst, "operation_preferences") == {}
} else := "sets operation_preferences without a concurrency above one account (max_concurrent_percentage or max_concurrent_count)" if {
	not concurrent(first_block(inst, "operation_preferences"))
} else := "sets no failure tolerance (failure_tolerance_percentage or failure_tolerance_count)" if {
	prefs := first_block(inst, "operation_preferences")
	not "failure_tolerance_percentage" in object.keys(prefs)
	not "failure_tolerance_count" in object.keys(prefs)
} else := "sets no create timeout (the provider's default is 30 minutes)" if {
	not first_block(inst, "timeouts").create
} else := ""

# rule BAI138: StackSet instances that target OUs carry operation preferences and a create timeout
violations contains v if {
	some [stack, id, inst] in resources_of("aws_cloudformation_stack_set_instance")
	targets_ous(inst)
	problem := rollout_problem(inst)
	problem != ""
	v := violation(
		stack, "aws_cloudformation_stack_set_instance", id, "BAI138",
		sprintf("the stack-set instance of %s in %s %s", [object.get(inst, "stack_set_name", "?"), object.get(inst, "stack_set_instance_region", "?"), problem]),
		"set operation_preferences (max_concurrent_percentage, failure_tolerance_percentage) and timeouts { create } sized for the number of target accounts, as FrameworkStackSet does",
	)
}
