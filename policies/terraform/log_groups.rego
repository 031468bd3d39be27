# BAI112: log groups expire their events.
# Without retention_in_days CloudWatch keeps the partitioner's logs forever, and the cost grows with every report.
package backup_audit.terraform

import rego.v1

# rule BAI112: CloudWatch log groups set a retention
violations contains v if {
	some [stack, id, group] in resources_of("aws_cloudwatch_log_group")
	days := object.get(group, "retention_in_days", 0)
	not positive_number(days)
	v := violation(
		stack, "aws_cloudwatch_log_group", id, "BAI112",
		sprintf("log group %s keeps its events forever (no retention_in_days)", [id]),
		"set retention_in_days (e.g. analytics.logRetentionDays in the config)",
	)
}

positive_number(n) if {
	is_number(n)
	n > 0
}
