# BAI004: the CloudTrail bucket is a bucket of its own.
# The trail bucket carries a CloudTrail bucket policy and its own access logs (CloudTrail.7); sharing it with the
# reports bucket (or the reporting access-log / Athena results bucket) would mix policies and make one stack
# create a bucket another stack creates too.
package backup_audit.config

import rego.v1

# rule BAI004: The CloudTrail bucket is a bucket of its own
violations contains v if {
	some lz in input.landingZones
	some trail in lz.buckets
	trail.role == "trail"
	some other in lz.buckets
	not other.role in {"trail", "trailAccessLog"}
	other.name == trail.name
	v := violation(
		lz, "BAI004", trail.fieldPath,
		sprintf("the CloudTrail bucket %s is also the %s bucket (%s)", [trail.name, other.role, other.fieldPath]),
		"give auditTrail.bucketName a bucket that no other part of the landing zone uses",
	)
}
