# BAI006: the Glue database name is valid for Athena.
# Glue accepts hyphens but Athena DDL and queries need them quoted, and Glue stores names in lower case; the
# named queries reference the database unquoted, so only lower-case letters, digits and underscores work.
package backup_audit.config

import rego.v1

# rule BAI006: The Glue database name has only lower-case letters, digits and underscores
violations contains v if {
	some lz in input.landingZones
	lz.analytics.enabled == true
	not regex.match(`^[a-z0-9_]{1,255}$`, lz.analytics.databaseName)
	v := violation(
		lz, "BAI006", "analytics.databaseName",
		sprintf("Glue database name \"%s\" may contain only lower-case letters, digits and underscores", [lz.analytics.databaseName]),
		sprintf("rename it, e.g. %s", [lower(replace(replace(lz.analytics.databaseName, "-", "_"), " ", "_"))]),
	)
}
