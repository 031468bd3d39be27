package backup_audit.config

import rego.v1

named(name) := {"name": name, "fieldPaths": merge(fixture_plans[0].fieldPaths, {"name": "reports.overrides.BACKUP_JOB_REPORT.name"})}

test_bai007_hyphenated_name_fails if {
	vs := violations with input as one(lz_with_plan(0, named("acme-backup-jobs")))
	[v] := of_id(vs, "BAI007")
	v.path == "reports.overrides.BACKUP_JOB_REPORT.name"
	contains(v.message, "\"acme-backup-jobs\" (BACKUP_JOB_REPORT)")
}

test_bai007_leading_digit_fails if {
	vs := violations with input as one(lz_with_plan(0, named("1backup")))
	count(of_id(vs, "BAI007")) == 1
}

test_bai007_valid_name_passes if {
	vs := violations with input as one(lz_with_plan(0, named("Backup_jobs_2")))
	count(of_id(vs, "BAI007")) == 0
}

test_bai008_duplicate_in_one_landing_zone_fails if {
	vs := violations with input as one(lz_with_plan(0, named("acme_prod_copy_job_report")))
	found := {v.path | some v in of_id(vs, "BAI008")}
	found == {"reports.overrides.BACKUP_JOB_REPORT.name", "name"}
	some v in of_id(vs, "BAI008")
	v.message == "report plan name acme_prod_copy_job_report is used 2 times in account 111122223333 (landing zones: acme-prod)"
}

test_bai008_duplicate_across_landing_zones_in_one_account_fails if {
	other := merge(fixture_lz, {"sourceFile": "other.yaml"})
	vs := violations with input as {"landingZones": [fixture_lz, other]}
	count(of_id(vs, "BAI008")) == 10
	files := {v.file | some v in of_id(vs, "BAI008")}
	files == {"acme-prod.yaml", "other.yaml"}
}

test_bai008_same_names_in_different_accounts_pass if {
	other := lz_with_reports({"accountId": "444455556666"})
	vs := violations with input as {"landingZones": [fixture_lz, merge(other, {"organization": merge(fixture_lz.organization, {"delegatedAdminAccountId": "444455556666"})})]}
	count(of_id(vs, "BAI008")) == 0
}

test_bai009_control_tower_prefix_fails if {
	vs := violations with input as one(lz_with_plan(0, named("aws_controltower_backup")))
	[v] := of_id(vs, "BAI009")
	v.path == "reports.overrides.BACKUP_JOB_REPORT.name"
	contains(v.message, "aws_controltower_")
}

test_bai009_other_prefix_passes if {
	vs := violations with input as one(lz_with_plan(0, named("aws_controls_backup")))
	count(of_id(vs, "BAI009")) == 0
}
