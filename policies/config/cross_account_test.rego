package backup_audit.config

import rego.v1

test_bai016_cross_account_plans_from_member_account_fail if {
	vs := violations with input as one(lz_with_reports({"accountId": "444455556666"}))
	[v] := of_id(vs, "BAI016")
	v.path == "reports.accountId"
	contains(v.message, "would be created in account 444455556666, which is neither the management account (111122223333)")
}

test_bai016_delegated_administrator_passes if {
	lz := lz_with({
		"reports": merge(fixture_lz.reports, {"accountId": "444455556666"}),
		"organization": merge(fixture_lz.organization, {"delegatedAdminAccountId": "444455556666"}),
	})
	vs := violations with input as one(lz)
	count(vs) == 0
}

test_bai016_single_account_plans_in_member_account_pass if {
	plans := [merge(p, {"crossAccount": false}) | some p in fixture_plans]
	vs := violations with input as one(lz_with_reports({"accountId": "444455556666", "plans": plans}))
	count(of_id(vs, "BAI016")) == 0
}
