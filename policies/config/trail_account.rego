# BAI027: an organization trail is created in the management account.
# CreateTrail with IsOrganizationTrail succeeds only in the organization's management account (or a CloudTrail
# delegated administrator, which this config does not model); from any other account the deploy fails. An
# account trail elsewhere records only its own account's events, so the fix keeps the trail in the management
# account and moves only its bucket (Control Tower's layout), or uses the organization trail that exists.
package backup_audit.config

import rego.v1

# rule BAI027: An organization trail is created in the management account
violations contains v if {
	some lz in input.landingZones
	lz.auditTrail.create == true
	lz.auditTrail.organizationTrail == true
	lz.auditTrail.accountId != lz.managementAccountId
	v := violation(
		lz, "BAI027", "auditTrail.accountId",
		sprintf("auditTrail.organizationTrail is true but the trail would be created in account %s, not in the management account %s; only the management account can create an organization trail", [lz.auditTrail.accountId, lz.managementAccountId]),
		sprintf("keep the trail in the management account (remove auditTrail.accountId) and put its bucket in the log-archive account with auditTrail.bucketAccountId: \"%s\"; or, when an organization trail exists already (Control Tower), name its bucket under auditTrail.existingTrail instead of creating a second trail", [lz.auditTrail.accountId]),
	)
}
