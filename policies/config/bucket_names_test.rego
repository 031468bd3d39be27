package backup_audit.config

import rego.v1

test_bai019_results_bucket_is_reports_bucket_fails if {
	vs := violations with input as one(lz_with_bucket(2, {"name": "acme-reports"}))
	[v] := of_id(vs, "BAI019")
	v.path == "analytics.resultsBucketName"
	v.message == "bucket acme-reports is used both as the reports bucket (reports.bucketName) and as the athenaResults bucket (analytics.resultsBucketName)"
	count(vs) == 1
}

test_bai019_shared_access_log_bucket_fails if {
	vs := violations with input as one(lz_with_trail_logs("acme-reports-logs"))
	[v] := of_id(vs, "BAI019")
	v.path == "auditTrail.accessLogBucketName"
}

test_bai019_distinct_buckets_pass if {
	vs := violations with input as one(fixture_lz)
	count(of_id(vs, "BAI019")) == 0
}

# The reports bucket is also the trail's log bucket: BAI005 explains it, BAI019 stays quiet.
test_bai019_leaves_logging_log_bucket_to_bai005 if {
	vs := violations with input as one(lz_with_trail_logs("acme-reports"))
	{v.id | some v in vs} == {"BAI005"}
}

# auditTrail.accessLogBucketName set to name: the trail logs there and the trail log bucket is named so.
lz_with_trail_logs(name) := lz_with({"buckets": [
	fixture_buckets[0],
	fixture_buckets[1],
	fixture_buckets[2],
	merge(fixture_buckets[3], {"logTarget": name}),
	merge(fixture_buckets[4], {"name": name}),
]})
