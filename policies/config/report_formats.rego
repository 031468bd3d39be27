# BAI001: organization report plans deliver CSV only.
# AWS Backup accepts JSON only for a report on the plan's own account and Region ("Organization report only
# support CSV file"); a cross-account or multi-Region plan with JSON fails at CreateReportPlan time.
package backup_audit.config

import rego.v1

org_plan_not_csv(plan) if {
	plan.organizationScope == true
	plan.formats != ["CSV"]
}

# rule BAI001: Organization report plans deliver CSV only
violations contains v if {
	some lz in input.landingZones
	some plan in lz.reports.plans
	org_plan_not_csv(plan)
	path := plan.fieldPaths.formats

	# Plans that inherit the same setting get one violation naming all of them.
	names := [p.name | some p in lz.reports.plans; org_plan_not_csv(p); p.fieldPaths.formats == path]
	v := violation(
		lz, "BAI001", path,
		sprintf(
			"report plans %s cover more than the reports account and Region, which AWS Backup delivers only as CSV, but formats is %s",
			[name_list(names), yaml_list(plan.formats)],
		),
		sprintf("set %s to [CSV] (JSON is only for single-account, single-Region reports)", [path]),
	)
}
