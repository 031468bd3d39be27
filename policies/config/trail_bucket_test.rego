package backup_audit.config

import rego.v1

test_bai004_trail_bucket_is_reports_bucket_fails if {
	vs := violations with input as one(lz_with_bucket(3, {"name": "acme-reports"}))
	[v] := of_id(vs, "BAI004")
	v.path == "auditTrail.bucketName"
	v.message == "the CloudTrail bucket acme-reports is also the reports bucket (reports.bucketName)"
}

test_bai004_own_trail_bucket_passes if {
	vs := violations with input as one(fixture_lz)
	count(of_id(vs, "BAI004")) == 0
}

test_bai004_no_trail_passes if {
	buckets := [b | some b in fixture_buckets; not b.role in {"trail", "trailAccessLog"}]
	vs := violations with input as one(lz_with({"auditTrail": null, "buckets": buckets}))
	count(vs) == 0
}
