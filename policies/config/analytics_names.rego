# BAI026: landing zones sharing a reports account and Region have their own Glue database and Athena workgroup.
# The analytics stack creates the database (`analytics.databaseName`, default backup_reports) and the workgroup
# (`analytics.workgroup`, default backup-reports) in the reports account and Region; two landing zones with the
# same names there would create the same resources and the second deploy would fail (AlreadyExistsException /
# InvalidRequestException). Glue lower-cases database names, so those compare case-insensitively. The violation
# goes to the later landing zone (by its position in the run) and names the earlier ones.
package backup_audit.config

import rego.v1

same_analytics_location(a, b) if {
	a.analytics.enabled == true
	b.analytics.enabled == true
	a.reports.accountId == b.reports.accountId
	a.reports.region == b.reports.region
}

# rule BAI026: Landing zones in one reports account and Region use their own Glue database and Athena workgroup
violations contains v if {
	some i, lz in input.landingZones
	earlier := {other.name |
		some j, other in input.landingZones
		j < i
		same_analytics_location(other, lz)
		lower(other.analytics.databaseName) == lower(lz.analytics.databaseName)
	}
	count(earlier) > 0
	v := violation(
		lz, "BAI026", "analytics.databaseName",
		sprintf("Glue database %s in account %s, Region %s is also the database of landing zone %s", [lz.analytics.databaseName, lz.reports.accountId, lz.reports.region, name_list(earlier)]),
		"give each landing zone its own analytics.databaseName (e.g. backup_reports_<landing zone>)",
	)
}

violations contains v if {
	some i, lz in input.landingZones
	earlier := {other.name |
		some j, other in input.landingZones
		j < i
		same_analytics_location(other, lz)
		other.analytics.workgroup == lz.analytics.workgroup
	}
	count(earlier) > 0
	v := violation(
		lz, "BAI026", "analytics.workgroup",
		sprintf("Athena workgroup %s in account %s, Region %s is also the workgroup of landing zone %s", [lz.analytics.workgroup, lz.reports.accountId, lz.reports.region, name_list(earlier)]),
		"give each landing zone its own analytics.workgroup (e.g. backup-reports-<landing zone>)",
	)
}
