# BAI003, BAI005: server access logs go to a separate bucket that does not log itself.
# S3 documents that delivering a bucket's access logs to itself causes an endless loop of log objects, and that
# the target bucket should not have server access logging enabled (CloudTrail.7 / CIS ask for this setup).
package backup_audit.config

import rego.v1

# rule BAI003: No bucket delivers its server access logs to itself
violations contains v if {
	some lz in input.landingZones
	some b in lz.buckets
	b.logTarget == b.name
	v := violation(
		lz, "BAI003", b.fieldPath,
		sprintf("bucket %s (%s) delivers its server access logs to itself, an endless loop of log objects", [b.name, b.role]),
		"give the access logs a bucket of their own (reports.accessLogBucketName / auditTrail.accessLogBucketName must differ from the bucket it logs)",
	)
}

# Names of the buckets that receive some other bucket's access logs.
log_targets(lz) := {b.logTarget |
	some b in lz.buckets
	is_string(b.logTarget)
	b.logTarget != b.name
}

# rule BAI005: A bucket that receives access logs has no access logging itself
violations contains v if {
	some lz in input.landingZones
	some b in lz.buckets
	b.name in log_targets(lz)
	is_string(b.logTarget)
	b.logTarget != b.name
	sources := [s.name | some s in lz.buckets; s.logTarget == b.name; s.name != b.name]
	v := violation(
		lz, "BAI005", b.fieldPath,
		sprintf(
			"bucket %s receives the server access logs of %s and logs to %s itself; a log-target bucket must not have access logging",
			[b.name, name_list(sources), b.logTarget],
		),
		"use a dedicated access-log bucket that is not also a reports, results or trail bucket",
	)
}
