package backup_audit.config

import rego.v1

lz_with_trail(over) := lz_with({"auditTrail": merge(fixture_lz.auditTrail, over)})

test_bai027_organization_trail_in_member_account_fails if {
	vs := violations with input as one(lz_with_trail({"accountId": "444455556666"}))
	[v] := of_id(vs, "BAI027")
	v.path == "auditTrail.accountId"
	v.message == "auditTrail.organizationTrail is true but the trail would be created in account 444455556666, not in the management account 111122223333; only the management account can create an organization trail"
	contains(v.fix, "auditTrail.organizationTrail: false")
	contains(v.fix, "delegated administrator is not modelled")
	count(vs) == 1
}

test_bai027_account_trail_in_member_account_passes if {
	vs := violations with input as one(lz_with_trail({"accountId": "444455556666", "organizationTrail": false}))
	count(of_id(vs, "BAI027")) == 0
}

test_bai027_organization_trail_in_management_account_passes if {
	vs := violations with input as one(fixture_lz)
	count(of_id(vs, "BAI027")) == 0
}

test_bai027_no_trail_passes if {
	vs := violations with input as one(lz_with({"auditTrail": null}))
	count(of_id(vs, "BAI027")) == 0
}
