# BAI019: every bucket of a landing zone is declared once.
# Two roles with one bucket name make two stacks create the same bucket, which fails at deploy time. Pairs that a
# more specific rule explains are left to it: self-logging (BAI003), a logging bucket that is also a log
# bucket (BAI005: one of the two logs, the other is a log-bucket role), the trail bucket (BAI004).
package backup_audit.config

import rego.v1

explained_elsewhere(a, b) if a.logTarget == b.name

explained_elsewhere(a, b) if b.logTarget == a.name

explained_elsewhere(a, b) if "trail" in {a.role, b.role}

explained_elsewhere(a, b) if {
	is_string(a.logTarget)
	b.logTarget == null
}

explained_elsewhere(a, b) if {
	a.logTarget == null
	is_string(b.logTarget)
}

# rule BAI019: Every bucket name serves one role
violations contains v if {
	some lz in input.landingZones
	some i, a in lz.buckets
	some j, b in lz.buckets
	i < j
	a.name == b.name
	not explained_elsewhere(a, b)
	v := violation(
		lz, "BAI019", b.fieldPath,
		sprintf("bucket %s is used both as the %s bucket (%s) and as the %s bucket (%s)", [a.name, a.role, a.fieldPath, b.role, b.fieldPath]),
		"give each bucket role its own bucket name",
	)
}
