# BAI027: an organization trail is created in the management account.
# CreateTrail with IsOrganizationTrail succeeds only in the organization's management account (or a CloudTrail
# delegated administrator, which this config does not model); from any other account the deploy fails.
package backup_audit.config

import rego.v1

# rule BAI027: An organization trail is created in the management account
violations contains v if {
	some lz in input.landingZones
	lz.auditTrail.organizationTrail == true
	lz.auditTrail.accountId != lz.managementAccountId
	v := violation(
		lz, "BAI027", "auditTrail.accountId",
		sprintf("auditTrail.organizationTrail is true but the trail would be created in account %s, not in the management account %s; only the management account can create an organization trail", [lz.auditTrail.accountId, lz.managementAccountId]),
		"deploy the organization trail in the management account (auditTrail.accountId = managementAccountId), or set auditTrail.organizationTrail: false for an account trail in a log-archive account (a CloudTrail delegated administrator is not modelled by this config)",
	)
}
