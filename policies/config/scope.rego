# BAI013, BAI014, BAI015: report plan scope (accounts, organizational units, Regions) and the landing zone's
# Regions. AWS Backup validates these only when the plan is created; field reports show a root id (r-...) in the
# OU list being rejected and ROOT in accounts being the way to cover the whole organization (fact sheet §1.4).
package backup_audit.config

import rego.v1

# rule BAI013: Organizational unit ids look like ou-...
violations contains v if {
	some lz in input.landingZones
	some plan in lz.reports.plans
	some ou in plan.scope.organizationalUnits
	not regex.match(`^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$`, ou)
	v := violation(lz, "BAI013", scope_path(plan, "organizationalUnits"), ou_message(ou), ou_fix(ou))
}

ou_message(ou) := sprintf("%s is an organization root id; report plans accept only organizational unit ids (ou-...) in organizationalUnits", [ou]) if {
	startswith(ou, "r-")
} else := sprintf("%s is not an organizational unit id (ou-<root>-<suffix>, e.g. ou-ab12-cd34ef56)", [ou])

ou_fix(ou) := "remove the root id from organizationalUnits and put ROOT in accounts to cover the whole organization" if {
	startswith(ou, "r-")
} else := "use the OU id shown by `aws organizations list-organizational-units-for-parent`"

# rule BAI014: Accounts are 12-digit ids or ROOT
violations contains v if {
	some lz in input.landingZones
	some plan in lz.reports.plans
	some account in plan.scope.accounts
	account != "ROOT"
	not regex.match(`^[0-9]{12}$`, account)
	v := violation(
		lz, "BAI014", scope_path(plan, "accounts"),
		sprintf("%s is neither a 12-digit account id nor ROOT", [account]),
		"list 12-digit account ids as quoted strings (\"012345678901\"), or ROOT (upper case) for every account of the organization",
	)
}

# rule BAI015: Regions are real AWS Region names
violations contains v if {
	some lz in input.landingZones
	some plan in lz.reports.plans
	some region in plan.scope.regions
	region != "*"
	not region in known_regions
	v := violation(
		lz, "BAI015", scope_path(plan, "regions"),
		sprintf("%s is not an AWS Region name", [region]),
		"use Region names such as us-east-1, or \"*\" for every Region",
	)
}

# BAI015 (continued): the landing zone's own Regions.
violations contains v if {
	some lz in input.landingZones
	some field, region in landing_zone_regions(lz)
	not region in known_regions
	not defaulted_region(lz, field, region)
	v := violation(
		lz, "BAI015", field,
		sprintf("%s is not an AWS Region name", [region]),
		"use a Region name such as us-east-1",
	)
}

landing_zone_regions(lz) := {"homeRegion": lz.homeRegion, "reports.region": lz.reports.region}

# reports.region defaults to homeRegion: report it only where the config sets another value.
defaulted_region(lz, field, region) if {
	field == "reports.region"
	region == lz.homeRegion
}
