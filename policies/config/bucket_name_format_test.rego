package backup_audit.config

import rego.v1

# 59 characters: the derived Athena results name (<name>-athena) has 66.
long_reports_bucket := "acme-backup-reports-111122223333-eu-central-1-archive-xyz12"

# The fixture with a long reports bucket and the results bucket derived from it (as normalize.ts does).
lz_with_long_reports_bucket := lz_with({
	"reports": merge(fixture_lz.reports, {"bucketName": long_reports_bucket}),
	"analytics": merge(fixture_lz.analytics, {"resultsBucketName": concat("", [long_reports_bucket, "-athena"])}),
	"buckets": [
		merge(fixture_buckets[0], {"name": long_reports_bucket}),
		fixture_buckets[1],
		merge(fixture_buckets[2], {"name": concat("", [long_reports_bucket, "-athena"])}),
		fixture_buckets[3],
		fixture_buckets[4],
	],
})

test_bai024_long_derived_results_bucket_fails if {
	count(long_reports_bucket) == 59
	vs := violations with input as one(lz_with_long_reports_bucket)
	[v] := of_id(vs, "BAI024")
	v.path == "analytics.resultsBucketName"
	v.message == "athenaResults bucket name \"acme-backup-reports-111122223333-eu-central-1-archive-xyz12-athena\" (derived from reports.bucketName + \"-athena\") is not a valid S3 bucket name: it has 66 characters (at most 63)"
	startswith(v.fix, "set analytics.resultsBucketName explicitly")
	count(vs) == 1
}

# The truncated form older normalisation produced (63 characters ending in a hyphen) counts as derived too.
test_bai024_truncated_derived_name_fails if {
	name := "acme-backup-reports-111122223333-eu-central-1-archive-xyz12345"
	count(name) == 62
	results := substring(concat("", [name, "-athena"]), 0, 63)
	lz := lz_with({
		"reports": merge(fixture_lz.reports, {"bucketName": name}),
		"buckets": [
			merge(fixture_buckets[0], {"name": name}),
			fixture_buckets[1],
			merge(fixture_buckets[2], {"name": results}),
			fixture_buckets[3],
			fixture_buckets[4],
		],
	})
	vs := violations with input as one(lz)
	[v] := of_id(vs, "BAI024")
	v.path == "analytics.resultsBucketName"
	contains(v.message, "must contain only lower-case letters")
	startswith(v.fix, "set analytics.resultsBucketName explicitly")
}

test_bai024_63_characters_pass if {
	name := "acme-backup-reports-111122223333-eu-central-1-archive-x-athena"
	count(name) == 62
	name63 := concat("", [name, "1"])
	vs := violations with input as one(lz_with_bucket(2, {"name": name63}))
	count(of_id(vs, "BAI024")) == 0
}

test_bai024_upper_case_and_dots_fail if {
	vs := violations with input as one(lz_with_bucket(3, {"name": "Acme..Trail"}))
	[v] := of_id(vs, "BAI024")
	v.path == "auditTrail.bucketName"
	v.message == "trail bucket name \"Acme..Trail\" is not a valid S3 bucket name: it must contain only lower-case letters, digits, dots and hyphens, and start and end with a letter or digit; it has two adjacent dots"
	startswith(v.fix, "rename the bucket")
}

test_bai024_ip_address_fails if {
	vs := violations with input as one(lz_with_bucket(4, {"name": "192.168.10.1"}))
	[v] := of_id(vs, "BAI024")
	v.path == "auditTrail.accessLogBucketName"
	endswith(v.message, "it is formatted like an IP address")
}

test_bai024_short_name_fails if {
	vs := violations with input as one(lz_with_bucket(1, {"name": "ab"}))
	[v] := of_id(vs, "BAI024")
	endswith(v.message, "it has 2 characters (at least 3)")
}

test_bai024_dotted_non_ip_passes if {
	vs := violations with input as one(lz_with_bucket(4, {"name": "logs.192.168.10.1"}))
	count(of_id(vs, "BAI024")) == 0
}
