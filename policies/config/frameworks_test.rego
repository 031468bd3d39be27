package backup_audit.config

import rego.v1

framework_arn := "arn:aws:backup:us-east-1:111122223333:framework:baseline-1234"

test_bai011_organization_compliance_report_with_frameworks_fails if {
	vs := violations with input as one(lz_with_plan(3, {"frameworkArns": [framework_arn]}))
	[v] := of_id(vs, "BAI011")
	v.path == "reports.overrides.CONTROL_COMPLIANCE_REPORT.frameworkArns"
	contains(v.message, "acme_prod_control_compliance_report (CONTROL_COMPLIANCE_REPORT)")
}

test_bai011_single_account_compliance_report_with_frameworks_passes if {
	over := {"frameworkArns": [framework_arn], "organizationScope": false, "crossAccount": false}
	vs := violations with input as one(lz_with_plan(3, over))
	count(of_id(vs, "BAI011")) == 0
}

test_bai012_number_of_frameworks_mismatch_fails if {
	over := {"frameworkArns": [framework_arn], "numberOfFrameworks": 2, "organizationScope": false, "crossAccount": false}
	vs := violations with input as one(lz_with_plan(4, over))
	[v] := of_id(vs, "BAI012")
	v.path == "reports.overrides.RESOURCE_COMPLIANCE_REPORT.numberOfFrameworks"
	v.message == "acme_prod_resource_compliance_report sets numberOfFrameworks to 2 but lists 1 framework ARNs"
}

test_bai012_number_of_frameworks_match_passes if {
	over := {"frameworkArns": [framework_arn], "numberOfFrameworks": 1, "organizationScope": false, "crossAccount": false}
	vs := violations with input as one(lz_with_plan(4, over))
	count(vs) == 0
}
