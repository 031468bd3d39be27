# BAI220-BAI225: changes that lose nothing that cannot be rebuilt, but that a reviewer should see before the
# apply: the analytics side (partitioner, workgroup, named queries, query results bucket, frameworks beside the
# report plans) re-created, and any change to the organization's trusted-access list. Warnings are reported and
# never refuse a plan.
package backup_audit.plan

import rego.v1

# rule BAI220: The partitioner Lambda is not replaced or deleted unnoticed
warn contains f if {
	some c in changes_of("aws_lambda_function")
	removes(c.rc)
	f := finding(
		c, "BAI220",
		sprintf("%s: report objects delivered while it is gone are not normalised (EventBridge has no target)", [removal(c.rc, "Lambda function", "function_name")]),
		"after the apply, run `backup-audit backfill --config <file>` to normalise the reports delivered meanwhile",
	)
}

# rule BAI221: The Athena workgroup is not replaced or deleted unnoticed
warn contains f if {
	some c in changes_of("aws_athena_workgroup")
	removes(c.rc)
	f := finding(
		c, "BAI221",
		sprintf("%s: its query history goes with it, and whoever runs queries in it must use the new workgroup", [removal(c.rc, "Athena workgroup", "name")]),
		"keep analytics.workgroup unless the change is intended; tell the workgroup's users",
	)
}

# rule BAI222: Named queries are not replaced or deleted unnoticed
warn contains f if {
	some c in changes_of("aws_athena_named_query")
	removes(c.rc)
	f := finding(
		c, "BAI222",
		sprintf("%s: a named query gets a new id whenever it changes, so links and scripts that use the old id break", [removal(c.rc, "Athena named query", "name")]),
		"expected when a query's SQL changes; update links that use the query id",
	)
}

# rule BAI223: Changes to the organization's trusted-access list are reported
warn contains f if {
	some c in changes_of("aws_organizations_organization")
	not removes(c.rc)
	keeps_object(c.rc)
	unknown_at(c.rc, ["aws_service_access_principals"])
	f := finding(
		c, "BAI223",
		"the plan sets the organization's trusted-access list (aws_service_access_principals) to a value known only after apply: the plan cannot show which services keep or lose trusted access",
		"read the organization's current principals (`aws organizations list-aws-service-access-for-organization`) and check the apply's result",
	)
}

warn contains f if {
	some c in changes_of("aws_organizations_organization")
	not removes(c.rc)
	keeps_object(c.rc)
	not unknown_at(c.rc, ["aws_service_access_principals"])
	old := {p | some p in as_list(object.get(before(c.rc), "aws_service_access_principals", []))}
	new := {p | some p in as_list(object.get(after(c.rc), "aws_service_access_principals", []))}
	old != new
	f := finding(
		c, "BAI223",
		sprintf("the plan changes the organization's trusted-access list: %s", [principal_changes(old, new)]),
		"check that every service that loses trusted access is meant to (AWS Backup needs backup.amazonaws.com for cross-account reports, an organization trail cloudtrail.amazonaws.com, the frameworks StackSet member.org.stacksets.cloudformation.amazonaws.com)",
	)
}

principal_changes(old, new) := concat("; ", [part |
	some [verb, names] in [["adds", new - old], ["removes", old - new]]
	count(names) > 0
	part := concat(" ", [verb, concat(", ", sort(names))])
])

# rule BAI224: The Athena results bucket is not replaced or deleted unnoticed
warn contains f if {
	some c in changes_of("aws_s3_bucket")
	removes(c.rc)
	results_bucket(c.plan, before(c.rc).bucket)
	f := finding(
		c, "BAI224",
		sprintf("%s, the query results location of an Athena workgroup: earlier query results are lost (they can be re-run)", [removal(c.rc, "S3 bucket", "bucket")]),
		"expected when analytics.resultsBucketName changes; otherwise keep the bucket",
	)
}

# rule BAI225: AWS Backup frameworks are not replaced or deleted unnoticed
warn contains f if {
	some c in changes_of("aws_backup_framework")
	removes(c.rc)
	f := finding(
		c, "BAI225",
		sprintf("%s: its control evaluations stop, and compliance reports over it lose their history from then on", [removal(c.rc, "AWS Backup framework", "name")]),
		"expected when the frameworks move into the StackSet (reports.memberFrameworks) or a framework is renamed; otherwise keep reports.frameworks as it is",
	)
}
