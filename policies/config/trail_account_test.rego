package backup_audit.config

import rego.v1

lz_with_trail(over) := lz_with({"auditTrail": merge(fixture_lz.auditTrail, over)})

test_bai027_organization_trail_in_member_account_fails if {
	vs := violations with input as one(lz_with_trail({"accountId": "444455556666"}))
	[v] := of_id(vs, "BAI027")
	v.path == "auditTrail.accountId"
	v.message == "auditTrail.organizationTrail is true but the trail would be created in account 444455556666, not in the management account 111122223333; only the management account can create an organization trail"
	v.fix == "keep the trail in the management account (remove auditTrail.accountId) and put its bucket in the log-archive account with auditTrail.bucketAccountId: \"444455556666\"; or, when an organization trail exists already (Control Tower), name its bucket under auditTrail.existingTrail instead of creating a second trail"
	count(vs) == 1
}

# Control Tower's layout: the trail in the management account, its bucket in the log-archive account.
test_bai027_bucket_in_log_archive_passes if {
	vs := violations with input as one(lz_with_trail({"bucketAccountId": "444455556666"}))
	count(vs) == 0
}

test_bai027_existing_trail_passes if {
	vs := violations with input as one(lz_with_trail({"accountId": "444455556666", "create": false}))
	count(of_id(vs, "BAI027")) == 0
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
