package backup_audit.config

import rego.v1

good_key := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

test_bai037_key_arn_in_region_passes if {
	vs := violations with input as one(lz_with_reports({"kmsKeyArn": good_key}))
	count(vs) == 0
}

test_bai037_alias_fails if {
	vs := violations with input as one(lz_with_reports({"kmsKeyArn": "arn:aws:kms:us-east-1:111122223333:alias/reports"}))
	[v] := of_id(vs, "BAI037")
	v.path == "reports.kmsKeyArn"
	v.message == "reports.kmsKeyArn arn:aws:kms:us-east-1:111122223333:alias/reports is not a KMS key ARN (arn:<partition>:kms:<Region>:<account>:key/<key id>)"
}

test_bai037_other_region_fails if {
	key := "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	vs := violations with input as one(lz_with({"analytics": merge(fixture_lz.analytics, {"kmsKeyArn": key})}))
	[v] := of_id(vs, "BAI037")
	v.path == "analytics.kmsKeyArn"
	endswith(v.message, "is in Region eu-west-1, not in us-east-1 where it is used")
}

test_bai037_existing_trail_key_path if {
	vs := violations with input as one(lz_with_trail({"create": false, "kmsKeyArn": "key-1"}))
	[v] := of_id(vs, "BAI037")
	v.path == "auditTrail.existingTrail.kmsKeyArn"
}
