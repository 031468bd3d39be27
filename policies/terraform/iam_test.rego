package backup_audit.terraform

import rego.v1

role_policy(sts) := {"aws_iam_role_policy": {"partitioner": {"role": "r", "policy": {"Version": "2012-10-17", "Statement": sts}}}}

test_bai106_service_wildcard_fails if {
	vs := violations with input as stack_with(role_policy([{"Sid": "All", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]))
	[v] := by_id(vs, "BAI106")
	v.path == "resource.aws_iam_role_policy.partitioner"
	v.message == "aws_iam_role_policy.partitioner allows wildcard actions (statement All)"
}

test_bai106_star_in_action_list_fails if {
	vs := violations with input as stack_with(role_policy([{"Effect": "Allow", "Action": ["glue:GetTable", "*"], "Resource": "*"}]))
	count(by_id(vs, "BAI106")) == 1
}

test_bai106_not_action_allow_fails if {
	vs := violations with input as stack_with(role_policy([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]))
	count(by_id(vs, "BAI106")) == 1
}

test_bai106_inline_policy_of_role_fails if {
	role := {"aws_iam_role": {"fn": {"name": "fn", "inline_policy": [{"name": "x", "policy": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}]}}}
	vs := violations with input as stack_with(role)
	[v] := by_id(vs, "BAI106")
	v.path == "resource.aws_iam_role.fn"
}

test_bai106_deny_wildcard_and_listed_actions_pass if {
	vs := violations with input as stack_with(role_policy([
		{"Effect": "Deny", "Action": "s3:*", "Resource": "*"},
		{"Effect": "Allow", "Action": ["glue:GetTable", "s3:Get*"], "Resource": "*"},
	]))
	count(by_id(vs, "BAI106")) == 0
}
