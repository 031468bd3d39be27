package backup_audit.config

import rego.v1

lz_without_member_frameworks := lz_with_reports({"memberFrameworks": null})

test_bai030_org_compliance_plans_without_member_frameworks_fail if {
	vs := violations with input as one(lz_without_member_frameworks)
	[v] := of_id(vs, "BAI030")
	v.path == "reports.memberFrameworks"
	v.message == "compliance report plans acme_prod_control_compliance_report, acme_prod_resource_compliance_report cover other accounts, but no framework is deployed into those accounts, so the reports stay empty (a framework applies only to the account and Region it is created in)"
	startswith(v.fix, "add reports.frameworks and reports.memberFrameworks")
	count(vs) == 1
}

test_bai030_no_frameworks_points_at_frameworks if {
	vs := violations with input as one(lz_with_reports({"memberFrameworks": null, "frameworks": []}))
	[v] := of_id(vs, "BAI030")
	v.path == "reports.frameworks"
}

test_bai030_job_reports_only_pass if {
	plans := [p | some p in fixture_plans; not p.template in compliance_templates]
	vs := violations with input as one(lz_with_reports({"memberFrameworks": null, "plans": plans}))
	count(vs) == 0
}

test_bai030_single_account_compliance_passes if {
	vs := violations with input as one(lz_with_reports({
		"memberFrameworks": null,
		"plans": [merge(p, {"crossAccount": false, "organizationScope": false}) | some p in fixture_plans],
	}))
	count(of_id(vs, "BAI030")) == 0
}

test_bai030_member_frameworks_pass if {
	vs := violations with input as one(fixture_lz)
	count(of_id(vs, "BAI030")) == 0
}

test_bai031_member_frameworks_without_frameworks_fail if {
	vs := violations with input as one(lz_with_reports({"frameworks": []}))
	[v] := of_id(vs, "BAI031")
	v.path == "reports.memberFrameworks"
	v.message == "reports.memberFrameworks is set but reports.frameworks is empty: the StackSet would deploy nothing"

	# The compliance plans are then unfed too.
	{x.id | some x in vs} == {"BAI030", "BAI031"}
}

test_bai032_stacksets_trusted_access_missing_fails if {
	org := merge(fixture_lz.organization, {"trustedAccess": ["backup.amazonaws.com", "cloudtrail.amazonaws.com"]})
	vs := violations with input as one(lz_with({"organization": org}))
	[v] := of_id(vs, "BAI032")
	v.path == "organization.trustedAccess"
	contains(v.message, "member.org.stacksets.cloudformation.amazonaws.com")
	count(vs) == 1
}

test_bai032_managed_trusted_access_passes if {
	org := merge(fixture_lz.organization, {"trustedAccess": [], "manageTrustedAccess": true})
	vs := violations with input as one(lz_with({"organization": org}))
	count(vs) == 0
}

test_bai033_accounts_only_scope_fails if {
	m := merge(fixture_member_frameworks, {"targetsRoot": false})
	vs := violations with input as one(lz_with_reports({"memberFrameworks": m}))
	[v] := of_id(vs, "BAI033")
	v.path == "reports.memberFrameworks.organizationalUnits"
	count(vs) == 1
}

test_bai033_ous_pass if {
	m := merge(fixture_member_frameworks, {"targetsRoot": false, "organizationalUnits": ["ou-ab12-cd34ef56"]})
	vs := violations with input as one(lz_with_reports({"memberFrameworks": m}))
	count(vs) == 0
}
