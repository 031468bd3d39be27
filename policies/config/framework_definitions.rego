# BAI020, BAI021, BAI022: the frameworks a landing zone creates (reports.frameworks).
# AWS Backup validates these only at CreateFramework time: names follow the report plan name pattern, control
# names come from a fixed list (fact sheet §4.3), and a control scope takes at most one tag.
package backup_audit.config

import rego.v1

known_controls := {
	"BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
	"BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
	"BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
	"BACKUP_RECOVERY_POINT_ENCRYPTED",
	"BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
	"BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
	"BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT",
	"BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
	"BACKUP_LAST_RECOVERY_POINT_CREATED",
	"RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
	"RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT",
}

framework_path(i) := concat("", ["reports.frameworks[", format_int(i, 10), "]"])

control_path(i, j) := concat("", [framework_path(i), ".controls[", format_int(j, 10), "]"])

# rule BAI020: Framework names match ^[A-Za-z][A-Za-z0-9_]{0,255}$
violations contains v if {
	some lz in input.landingZones
	some i, fw in lz.reports.frameworks
	not regex.match(`^[A-Za-z][A-Za-z0-9_]{0,255}$`, fw.name)
	v := violation(
		lz, "BAI020", concat(".", [framework_path(i), "name"]),
		sprintf("framework name \"%s\" must start with a letter and contain only letters, digits and underscores (at most 256)", [fw.name]),
		"rename the framework, e.g. with underscores instead of hyphens",
	)
}

# rule BAI021: Framework controls are AWS Backup Audit Manager controls
violations contains v if {
	some lz in input.landingZones
	some i, fw in lz.reports.frameworks
	some j, control in fw.controls
	not control.name in known_controls
	v := violation(
		lz, "BAI021", concat(".", [control_path(i, j), "name"]),
		sprintf("%s in framework %s is not an AWS Backup Audit Manager control", [control.name, fw.name]),
		"use a control name such as BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK (see docs/policies.md, BAI021)",
	)
}

# rule BAI022: A control scope has at most one tag
violations contains v if {
	some lz in input.landingZones
	some i, fw in lz.reports.frameworks
	some j, control in fw.controls
	is_object(control.scope)
	n := count(object.get(control.scope, "tags", {}))
	n > 1
	v := violation(
		lz, "BAI022", concat(".", [control_path(i, j), "scope.tags"]),
		sprintf("control %s of framework %s scopes %d tags; AWS Backup accepts at most one tag key and value", [control.name, fw.name, n]),
		"keep one tag in the control's scope (or scope by resource types or ids instead)",
	)
}
