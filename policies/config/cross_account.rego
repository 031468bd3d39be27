# BAI016: cross-account report plans come from the management account or the delegated administrator.
# Only those accounts may create report plans that select other accounts or OUs (fact sheet §1.1, §5).
package backup_audit.config

import rego.v1

reports_account_may_report_cross_account(lz) if lz.reports.accountId == lz.managementAccountId

reports_account_may_report_cross_account(lz) if lz.reports.accountId == lz.organization.delegatedAdminAccountId

# rule BAI016: Cross-account report plans come from the management account or the delegated administrator
violations contains v if {
	some lz in input.landingZones
	not reports_account_may_report_cross_account(lz)
	names := [p.name | some p in lz.reports.plans; p.crossAccount == true]
	count(names) > 0
	v := violation(
		lz, "BAI016", "reports.accountId",
		sprintf(
			"report plans %s cover other accounts but would be created in account %s, which is neither the management account (%s) nor the delegated administrator",
			[name_list(names), lz.reports.accountId, lz.managementAccountId],
		),
		"set reports.accountId to the management account, or register that account as delegated administrator (organization.delegatedAdminAccountId), or limit the plans' scope to that account",
	)
}
