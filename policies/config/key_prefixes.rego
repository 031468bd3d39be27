# BAI017: every report plan of a landing zone has its own key prefix folder.
# Each template's Glue table reads everything under <prefix>/Backup/, and the partitioner maps a key to a
# template by its prefix; two plans in one folder (or one inside another's) would mix report formats in a table.
package backup_audit.config

import rego.v1

prefix_clash(a, b) if a == b

prefix_clash(a, b) if startswith(b, concat("", [a, "/"]))

prefix_clash(a, b) if startswith(a, concat("", [b, "/"]))

# The path to fix: the plan whose prefix is an override, else the shared root.
prefix_path(a, b) := b.fieldPaths.keyPrefix if {
	b.fieldPaths.keyPrefix != "reports.keyPrefixRoot"
} else := a.fieldPaths.keyPrefix

# rule BAI017: Every report plan has its own key prefix folder
violations contains v if {
	some lz in input.landingZones
	some i, a in lz.reports.plans
	some j, b in lz.reports.plans
	i < j
	prefix_clash(a.keyPrefix, b.keyPrefix)
	v := violation(
		lz, "BAI017", prefix_path(a, b),
		sprintf(
			"report plans %s (key prefix \"%s\") and %s (key prefix \"%s\") share a folder",
			[a.name, a.keyPrefix, b.name, b.keyPrefix],
		),
		"give every template a key prefix of its own that is not a folder inside another one (reports.overrides.<TEMPLATE>.keyPrefix)",
	)
}
