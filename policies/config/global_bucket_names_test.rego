package backup_audit.config

import rego.v1

other_lz(name) := fixture_named(name)

test_bai025_distinct_buckets_pass if {
	vs := violations with input as {"landingZones": [fixture_lz, other_lz("acme-dev")]}
	count(vs) == 0
}

test_bai025_shared_bucket_reported_on_later_landing_zone if {
	dev := other_lz("acme-dev")
	shared := merge(dev, {"buckets": [merge(dev.buckets[0], {"name": "acme-reports"}), dev.buckets[1], dev.buckets[2], dev.buckets[3], dev.buckets[4]]})
	vs := violations with input as {"landingZones": [fixture_lz, shared]}
	[v] := of_id(vs, "BAI025")
	v.landingZone == "acme-dev"
	v.file == "acme-dev.yaml"
	v.path == "reports.bucketName"
	v.message == "bucket acme-reports (reports) is also a bucket of landing zone acme-prod; S3 bucket names are global, so the second deploy would fail"
	count(vs) == 1
}

test_bai025_order_decides_which_landing_zone_is_reported if {
	dev := other_lz("acme-dev")
	shared := merge(dev, {"buckets": [merge(dev.buckets[0], {"name": "acme-trail"}), dev.buckets[1], dev.buckets[2], dev.buckets[3], dev.buckets[4]]})
	vs := violations with input as {"landingZones": [shared, fixture_lz]}
	[v] := of_id(vs, "BAI025")
	v.landingZone == "acme-prod"
	v.path == "auditTrail.bucketName"
	contains(v.message, "landing zone acme-dev")
}
