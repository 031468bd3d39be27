package backup_audit.config

import rego.v1

test_bai018_management_account_as_delegated_admin_fails if {
	vs := violations with input as one(lz_with({"organization": merge(fixture_lz.organization, {"delegatedAdminAccountId": "111122223333"})}))
	[v] := of_id(vs, "BAI018")
	v.path == "organization.delegatedAdminAccountId"
}

test_bai018_member_account_as_delegated_admin_passes if {
	vs := violations with input as one(lz_with({"organization": merge(fixture_lz.organization, {"delegatedAdminAccountId": "444455556666"})}))
	count(vs) == 0
}
