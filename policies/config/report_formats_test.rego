package backup_audit.config

import rego.v1

test_bai001_organization_plan_with_json_fails if {
	vs := violations with input as one(lz_with_plan(0, {"formats": ["CSV", "JSON"]}))
	[v] := of_id(vs, "BAI001")
	v.path == "reports.formats"
	v.landingZone == "acme-prod"
	v.file == "acme-prod.yaml"
	contains(v.message, "acme_prod_backup_job_report")
	contains(v.message, "[CSV, JSON]")
}

test_bai001_plans_sharing_the_setting_give_one_violation if {
	vs := violations with input as one(lz_with_reports({"plans": [merge(p, {"formats": ["JSON"]}) | some p in fixture_plans]}))
	[v] := of_id(vs, "BAI001")
	contains(v.message, "acme_prod_backup_job_report, acme_prod_control_compliance_report, acme_prod_copy_job_report")
}

test_bai001_override_path_is_reported if {
	over := {"formats": ["JSON"], "fieldPaths": merge(fixture_plans[1].fieldPaths, {"formats": "reports.overrides.COPY_JOB_REPORT.formats"})}
	vs := violations with input as one(lz_with_plan(1, over))
	[v] := of_id(vs, "BAI001")
	v.path == "reports.overrides.COPY_JOB_REPORT.formats"
}

test_bai001_single_account_plan_may_use_json if {
	over := {"formats": ["JSON"], "organizationScope": false, "crossAccount": false}
	vs := violations with input as one(lz_with_plan(0, over))
	count(of_id(vs, "BAI001")) == 0
}
