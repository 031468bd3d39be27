package backup_audit.config

import rego.v1

# The fixture with its trail bucket in another (log-archive) account and these reader roles.
with_readers(roles, bucket_account) := lz_with({"auditTrail": merge(fixture_trail, {"readerRoleArns": roles, "bucketAccountId": bucket_account})})

test_bai053_roles_of_the_analytics_account_pass if {
	vs := violations with input as one(with_readers(["arn:aws:iam::111122223333:role/BackupAuditReader"], "333344445555"))
	count(vs) == 0
}

test_bai053_role_of_another_account_fails if {
	vs := violations with input as one(with_readers(["arn:aws:iam::111122223333:role/Reader", "arn:aws:iam::444455556666:role/Reader"], "333344445555"))
	[v] := of_id(vs, "BAI053")
	v.path == "auditTrail.readerRoleArns[1]"
	v.message == "arn:aws:iam::444455556666:role/Reader is a role of account 444455556666, but the trail bucket's read grant is for the analytics account 111122223333 (reports.accountId): the role would never be let in"
}

test_bai053_bucket_in_the_analytics_account_fails if {
	vs := violations with input as one(with_readers(["arn:aws:iam::111122223333:role/Reader"], "111122223333"))
	[v] := of_id(vs, "BAI053")
	v.path == "auditTrail.readerRoleArns"
	contains(v.message, "the trail's bucket is in the analytics account 111122223333 itself")
}

test_bai053_without_analytics_fails if {
	lz := with_readers(["arn:aws:iam::111122223333:role/Reader"], "333344445555")
	vs := violations with input as one(merge(lz, {"analytics": merge(lz.analytics, {"enabled": false})}))
	[v] := of_id(vs, "BAI053")
	contains(v.message, "analytics.enabled is false")
}

test_bai053_no_roles_pass if {
	vs := violations with input as one(with_readers([], "111122223333"))
	count(vs) == 0
}

test_bai053_no_trail_passes if {
	vs := violations with input as one(lz_with({"auditTrail": null}))
	count(of_id(vs, "BAI053")) == 0
}
