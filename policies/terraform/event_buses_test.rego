package backup_audit.terraform

import rego.v1

bus_policy(statement) := stack_with({"aws_cloudwatch_event_bus_policy": {"central": {
	"event_bus_name": "${aws_cloudwatch_event_bus.bus.name}",
	"policy": {"Version": "2012-10-17", "Statement": [statement]},
}}})

test_bai139_org_limited_passes if {
	vs := violations with input as bus_policy({
		"Sid": "Org", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "events:PutEvents",
		"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}},
	})
	count(by_id(vs, "BAI139")) == 0
}

test_bai139_open_aws_star_fails if {
	vs := violations with input as bus_policy({"Sid": "Open", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "events:PutEvents"})
	[v] := by_id(vs, "BAI139")
	v.path == "resource.aws_cloudwatch_event_bus_policy.central"
	v.message == "event bus policy central lets any AWS principal (\"*\") act on the bus without an aws:PrincipalOrgID condition (statement Open)"
}

test_bai139_open_string_star_with_other_condition_fails if {
	vs := violations with input as bus_policy({
		"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "events:PutEvents",
		"Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}},
	})
	count(by_id(vs, "BAI139")) == 1
}

test_bai139_named_account_passes if {
	vs := violations with input as bus_policy({"Sid": "One", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "events:PutEvents"})
	count(by_id(vs, "BAI139")) == 0
}

test_bai139_deny_star_passes if {
	vs := violations with input as bus_policy({"Sid": "DenyAll", "Effect": "Deny", "Principal": "*", "Action": "events:PutEvents"})
	count(by_id(vs, "BAI139")) == 0
}
