# BAI025: a bucket name belongs to one landing zone of the run.
# S3 bucket names are global: when two landing zones declare the same bucket, the second deploy fails at
# CreateBucket (BucketAlreadyOwnedByYou / BucketAlreadyExists), or worse, both stacks claim one bucket. The
# violation goes to the later landing zone (by its position in the run) and names the earlier ones.
package backup_audit.config

import rego.v1

# rule BAI025: A bucket name is used by one landing zone of the run
violations contains v if {
	some i, lz in input.landingZones
	some b in lz.buckets
	earlier := {other.name |
		some j, other in input.landingZones
		j < i
		some ob in other.buckets
		ob.name == b.name
	}
	count(earlier) > 0
	v := violation(
		lz, "BAI025", b.fieldPath,
		sprintf("bucket %s (%s) is also a bucket of landing zone %s; S3 bucket names are global, so the second deploy would fail", [b.name, b.role, name_list(earlier)]),
		"give the bucket a name of its own in each landing zone (e.g. include the landing-zone name or account id)",
	)
}
