package backup_audit.config

import rego.v1

test_bai003_bucket_logging_to_itself_fails if {
	vs := violations with input as one(lz_with_bucket(3, {"logTarget": "acme-trail"}))
	[v] := of_id(vs, "BAI003")
	v.path == "auditTrail.bucketName"
	v.message == "bucket acme-trail (trail) delivers its server access logs to itself, an endless loop of log objects"
}

test_bai003_separate_log_bucket_passes if {
	vs := violations with input as one(fixture_lz)
	count(of_id(vs, "BAI003")) == 0
}

# The reports access-log bucket is also the trail bucket, which logs to the trail log bucket.
test_bai005_log_target_that_logs_fails if {
	vs := violations with input as one(lz_with_bucket(3, {"name": "acme-reports-logs"}))
	[v] := of_id(vs, "BAI005")
	v.path == "auditTrail.bucketName"
	contains(v.message, "receives the server access logs of acme-reports, acme-reports-athena and logs to acme-trail-logs")
}

test_bai005_log_targets_without_logging_pass if {
	vs := violations with input as one(fixture_lz)
	count(of_id(vs, "BAI005")) == 0
}
