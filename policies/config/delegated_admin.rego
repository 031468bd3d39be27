# BAI018: the delegated administrator is not the management account.
# Organizations refuses to register the management account as a delegated administrator.
package backup_audit.config

import rego.v1

# rule BAI018: The delegated administrator is not the management account
violations contains v if {
	some lz in input.landingZones
	lz.organization.delegatedAdminAccountId == lz.managementAccountId
	v := violation(
		lz, "BAI018", "organization.delegatedAdminAccountId",
		sprintf("the delegated administrator %s is the management account, which Organizations cannot register as delegated administrator", [lz.managementAccountId]),
		"set organization.delegatedAdminAccountId to a member account, or to null (the management account reports anyway)",
	)
}
