# BAI011, BAI012: frameworks of compliance reports.
# Organization-wide compliance reports cover every framework of the accounts in scope and AWS rejects framework
# ARNs on them; number_of_frameworks must match the ARN list or CreateReportPlan fails.
package backup_audit.config

import rego.v1

compliance_templates := {"CONTROL_COMPLIANCE_REPORT", "RESOURCE_COMPLIANCE_REPORT"}

# rule BAI011: Organization-wide compliance reports list no framework ARNs
violations contains v if {
	some lz in input.landingZones
	some plan in lz.reports.plans
	plan.template in compliance_templates
	plan.organizationScope == true
	count(plan.frameworkArns) > 0
	v := violation(
		lz, "BAI011", plan.fieldPaths.frameworkArns,
		sprintf("%s (%s) reports across accounts or Regions and must not list framework ARNs (%d listed)", [plan.name, plan.template, count(plan.frameworkArns)]),
		"remove frameworkArns (an organization compliance report covers every framework in scope), or limit the plan's scope to the reports account and Region",
	)
}

# rule BAI012: numberOfFrameworks equals the number of framework ARNs
violations contains v if {
	some lz in input.landingZones
	some plan in lz.reports.plans
	is_number(plan.numberOfFrameworks)
	plan.numberOfFrameworks != count(plan.frameworkArns)
	v := violation(
		lz, "BAI012", concat(".", ["reports.overrides", plan.template, "numberOfFrameworks"]),
		sprintf("%s sets numberOfFrameworks to %d but lists %d framework ARNs", [plan.name, plan.numberOfFrameworks, count(plan.frameworkArns)]),
		"remove numberOfFrameworks (Terraform computes it) or make it equal to the number of frameworkArns",
	)
}
