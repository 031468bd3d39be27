# BAI053: the roles that may read the trail's log files.
# The trail bucket's policy grants the analytics account (reports.accountId) read access to the log files, either
# to the roles auditTrail.readerRoleArns names (by aws:PrincipalArn) or, without them, to reads Athena makes
# (aws:CalledVia). A role of another account never matches that grant, and when the bucket is in the analytics
# account itself (or analytics is off) there is no grant at all, so the list would restrict nothing.
package backup_audit.config

import rego.v1

# auditTrail is null without a trail.
reader_roles(lz) := lz.auditTrail.readerRoleArns if {
	is_object(lz.auditTrail)
	is_array(lz.auditTrail.readerRoleArns)
} else := []

role_account(arn) := split(arn, ":")[4]

# rule BAI053: Trail reader roles are roles of the analytics account, which reads the trail across accounts
violations contains v if {
	some lz in input.landingZones
	some i, arn in reader_roles(lz)
	role_account(arn) != lz.reports.accountId
	v := violation(
		lz, "BAI053", sprintf("auditTrail.readerRoleArns[%d]", [i]),
		sprintf("%s is a role of account %s, but the trail bucket's read grant is for the analytics account %s (reports.accountId): the role would never be let in", [arn, role_account(arn), lz.reports.accountId]),
		"list roles of the analytics account only (the account that runs the Athena queries over the trail)",
	)
}

violations contains v if {
	some lz in input.landingZones
	count(reader_roles(lz)) > 0
	reason := unused_readers_reason(lz)
	v := violation(
		lz, "BAI053", "auditTrail.readerRoleArns",
		sprintf("auditTrail.readerRoleArns lists %d role(s), but %s: the list would restrict nothing", [count(reader_roles(lz)), reason]),
		"remove auditTrail.readerRoleArns (within one account, the roles' IAM policies decide who reads the trail)",
	)
}

unused_readers_reason(lz) := "analytics.enabled is false, so the trail bucket grants no read access" if {
	lz.analytics.enabled == false
} else := sprintf("the trail's bucket is in the analytics account %s itself, so its policy grants that account nothing", [lz.reports.accountId]) if {
	lz.auditTrail.bucketAccountId == lz.reports.accountId
}
