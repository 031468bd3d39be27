package backup_audit.config

import rego.v1

# BAI045 over the keys of issue 10's layout: the Athena results key and the trail key (created or existing).

test_bai045_analytics_key_in_another_region_fails if {
	key := "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	vs := violations with input as one(lz_with({"analytics": merge(fixture_lz.analytics, {"kmsKeyArn": key})}))
	[v] := of_id(vs, "BAI045")
	v.path == "analytics.kmsKeyArn"
	contains(v.message, "but the Athena results bucket is in us-east-1 (partition aws)")
}

test_bai045_existing_trail_key_path if {
	key := "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	vs := violations with input as one(lz_with_trail({"create": false, "kmsKeyArn": key}))
	[v] := of_id(vs, "BAI045")
	v.path == "auditTrail.existingTrail.kmsKeyArn"
	contains(v.message, "but the trail bucket is in us-east-1")
}

test_bai045_keys_in_their_regions_pass if {
	key := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	lz := lz_with({
		"analytics": merge(fixture_lz.analytics, {"kmsKeyArn": key}),
		"auditTrail": merge(fixture_trail, {"kmsKeyArn": key}),
	})
	vs := violations with input as one(lz)
	count(vs) == 0
}
