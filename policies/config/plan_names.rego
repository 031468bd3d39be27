# BAI007, BAI008, BAI009: report plan names.
# AWS Backup requires names matching ^[a-zA-Z][_a-zA-Z0-9]*$ (1-256 characters), unique within an account,
# and reserves the aws_controltower_ prefix for AWS Control Tower's own plans.
package backup_audit.config

import rego.v1

# rule BAI007: Report plan names match ^[A-Za-z][A-Za-z0-9_]{0,255}$
violations contains v if {
	some lz in input.landingZones
	some plan in lz.reports.plans
	not regex.match(`^[A-Za-z][A-Za-z0-9_]{0,255}$`, plan.name)
	v := violation(
		lz, "BAI007", plan.fieldPaths.name,
		sprintf("report plan name \"%s\" (%s) must start with a letter and contain only letters, digits and underscores (at most 256)", [plan.name, plan.template]),
		"rename the plan: a landing-zone name's hyphens become underscores in default plan names; an override name must follow ^[A-Za-z][A-Za-z0-9_]{0,255}$",
	)
}

# Plan names per account, over every landing zone of the run (two landing zones may share a reports account).
plan_names_by_account[account] := names if {
	some lz in input.landingZones
	account := lz.reports.accountId
	names := [p.name |
		some other in input.landingZones
		other.reports.accountId == account
		some p in other.reports.plans
	]
}

# rule BAI008: Report plan names are unique per account
violations contains v if {
	some lz in input.landingZones
	some plan in lz.reports.plans
	n := count([x | some x in plan_names_by_account[lz.reports.accountId]; x == plan.name])
	n > 1
	owners := {other.name |
		some other in input.landingZones
		other.reports.accountId == lz.reports.accountId
		some p in other.reports.plans
		p.name == plan.name
	}
	v := violation(
		lz, "BAI008", plan.fieldPaths.name,
		sprintf("report plan name %s is used %d times in account %s (landing zones: %s)", [plan.name, n, lz.reports.accountId, name_list(owners)]),
		"give every report plan of an account its own name (override reports.overrides.<TEMPLATE>.name, or use another landing-zone name)",
	)
}

# rule BAI009: Report plan names do not start with aws_controltower_
violations contains v if {
	some lz in input.landingZones
	some plan in lz.reports.plans
	startswith(lower(plan.name), "aws_controltower_")
	v := violation(
		lz, "BAI009", plan.fieldPaths.name,
		sprintf("report plan name %s starts with aws_controltower_, which AWS reserves for AWS Control Tower", [plan.name]),
		"choose a name without the aws_controltower_ prefix",
	)
}
