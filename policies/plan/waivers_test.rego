package backup_audit.plan

import rego.v1

renamed_bucket := run_of([replaced("aws_s3_bucket", reports_bucket, bucket(reports_name), bucket("acme-reports-renamed"), [["bucket"]])])

bucket_waiver := {"rule": "BAI201", "address": "aws_s3_bucket.reports-bucket_*", "expires": "2026-06-30"}

test_waiver_in_force_turns_the_refusal_into_a_reported_pass if {
	run := with_waivers(renamed_bucket, [bucket_waiver])
	r := report with input as run
	r.deny == []
	r.warn == []
	[f] := r.waived
	f.id == "BAI201"
	f.level == "deny"
	f.address == "aws_s3_bucket.reports-bucket_395B9273"
	f.waiver.owner == "platform-team"
	f.waiver.reason == "bucket renamed on purpose (CHG-1234)"
	f.waiver.expires == "2026-06-30"
	f.waiver.index == 0
}

test_waiver_is_in_force_on_its_expiry_date if {
	run := object.union(with_waivers(renamed_bucket, [bucket_waiver]), {"today": "2026-06-30"})
	r := report with input as run
	r.deny == []
	count(r.waived) == 1
}

test_expired_waiver_refuses_and_waives_nothing if {
	run := object.union(with_waivers(renamed_bucket, [bucket_waiver]), {"today": "2026-07-01"})
	r := report with input as run
	{f.id | some f in r.deny} == {"BAI201", "BAI228"}
	r.waived == []
	[e] := denied(run, "BAI228")
	e.file == "plan-waivers.yaml"
	e.path == "waivers[0]"
	e.message == "the waiver of BAI201 for aws_s3_bucket.reports-bucket_* (stack *, owner platform-team) expired on 2026-06-30: it waives nothing any more, and an expired waiver refuses the plan"
}

test_expired_waiver_of_another_stack_is_not_reported_in_this_run if {
	run := object.union(with_waivers(run_of(unchanged_reporting), [object.union(bucket_waiver, {"stack": "acme-prod-trail-*"})]), {"today": "2026-07-01"})
	r := report with input as run
	r == {"deny": [], "warn": [], "waived": []}
}

test_waiver_matching_nothing_is_reported if {
	run := with_waivers(run_of(unchanged_reporting), [bucket_waiver])
	r := report with input as run
	r.deny == []
	[f] := r.warn
	f.id == "BAI229"
	f.level == "warn"
	f.path == "waivers[0]"
	f.message == "the waiver of BAI201 for aws_s3_bucket.reports-bucket_* (stack *, owner platform-team, until 2026-06-30) matches no finding in the plans checked"
}

test_waiver_needs_rule_address_and_stack_to_match if {
	other_rule := object.union(bucket_waiver, {"rule": "BAI202"})
	other_address := object.union(bucket_waiver, {"address": "aws_s3_bucket.access-log-bucket_*"})
	other_stack := object.union(bucket_waiver, {"stack": "acme-dev-*"})
	run := with_waivers(renamed_bucket, [other_rule, other_address, other_stack])
	r := report with input as run
	[f.id | some f in r.deny] == ["BAI201"]
	r.waived == []

	# The first two concern this stack and match nothing; the third concerns no stack of the run.
	{f.path | some f in r.warn} == {"waivers[0]", "waivers[1]"}
}

test_first_matching_waiver_in_force_is_used if {
	old := object.union(bucket_waiver, {"expires": "2026-01-01", "owner": "old-owner"})
	wide := object.union(bucket_waiver, {"address": "*", "stack": "acme-prod-*", "owner": "storage-team"})
	run := with_waivers(renamed_bucket, [old, wide])
	r := report with input as run
	[f] := r.waived
	f.waiver.owner == "storage-team"
	f.waiver.index == 1
	[e.id | some e in r.deny] == ["BAI228"]
}

test_warnings_can_be_waived_too if {
	query := {"name": "largest_backups", "query": "SELECT 1"}
	run := with_waivers(run_of([replaced("aws_athena_named_query", "athena_query-largest_backups_07E5FA68", query, object.union(query, {"query": "SELECT 2"}), [["query"]])]), [{"rule": "BAI222", "address": "aws_athena_named_query.*", "expires": "2026-12-31"}])
	r := report with input as run
	r.warn == []
	[f] := r.waived
	f.level == "warn"
}
