# BAI010: at most 20 report plans per account.
# AWS Backup allows 20 report plans per account; landing zones that share a reports account share the quota,
# and the 21st plan fails at deploy time, after the others were created.
package backup_audit.config

import rego.v1

max_report_plans := 20

plan_count_by_account[account] := n if {
	some lz in input.landingZones
	account := lz.reports.accountId
	n := sum([count(other.reports.plans) | some other in input.landingZones; other.reports.accountId == account])
}

# rule BAI010: At most 20 report plans per account
violations contains v if {
	some lz in input.landingZones
	n := plan_count_by_account[lz.reports.accountId]
	n > max_report_plans
	sharing := {other.name | some other in input.landingZones; other.reports.accountId == lz.reports.accountId}
	v := violation(
		lz, "BAI010", "reports.templates",
		sprintf(
			"account %s would hold %d report plans (landing zones: %s), more than the %d AWS Backup allows per account",
			[lz.reports.accountId, n, name_list(sharing), max_report_plans],
		),
		"drop templates from reports.templates, or move a landing zone's reports to another account (reports.accountId)",
	)
}
