# BAI030-BAI033: frameworks where the data is.
# A framework applies to one account and Region; an organization-wide CONTROL/RESOURCE_COMPLIANCE report
# aggregates the frameworks that exist in the member accounts it covers (fact sheet §12). Without frameworks
# there, such a report stays (nearly) empty. `reports.memberFrameworks` deploys the configured frameworks into
# the member accounts with a service-managed CloudFormation StackSet, which needs trusted access for
# CloudFormation StackSets and Organizational Unit targets (or the root).
package backup_audit.config

import rego.v1

stacksets_principal := "member.org.stacksets.cloudformation.amazonaws.com"

member_frameworks_deployed(lz) if {
	is_object(lz.reports.memberFrameworks)
	count(lz.reports.frameworks) > 0
}

# rule BAI030: Organization compliance reports are fed by frameworks in the member accounts
violations contains v if {
	some lz in input.landingZones
	not member_frameworks_deployed(lz)
	names := [p.name |
		some p in lz.reports.plans
		p.template in compliance_templates
		p.crossAccount == true
	]
	count(names) > 0
	v := violation(
		lz, "BAI030", member_frameworks_path(lz),
		sprintf("compliance report plans %s cover other accounts, but no framework is deployed into those accounts, so the reports stay empty (a framework applies only to the account and Region it is created in)", [name_list(names)]),
		"add reports.frameworks and reports.memberFrameworks (a StackSet puts the frameworks into every account of the report scope's OUs and Regions), or remove CONTROL_COMPLIANCE_REPORT and RESOURCE_COMPLIANCE_REPORT from reports.templates, or limit their scope to the reports account",
	)
}

member_frameworks_path(lz) := "reports.memberFrameworks" if {
	count(lz.reports.frameworks) > 0
} else := "reports.frameworks"

# rule BAI031: Member frameworks name at least one framework
violations contains v if {
	some lz in input.landingZones
	is_object(lz.reports.memberFrameworks)
	count(lz.reports.frameworks) == 0
	v := violation(
		lz, "BAI031", "reports.memberFrameworks",
		"reports.memberFrameworks is set but reports.frameworks is empty: the StackSet would deploy nothing",
		"define the frameworks under reports.frameworks, or remove reports.memberFrameworks",
	)
}

stacksets_trusted_access(lz) if stacksets_principal in lz.organization.trustedAccess

stacksets_trusted_access(lz) if lz.organization.manageTrustedAccess == true

# rule BAI032: The frameworks StackSet has trusted access for CloudFormation StackSets
violations contains v if {
	some lz in input.landingZones
	member_frameworks_deployed(lz)
	not stacksets_trusted_access(lz)
	v := violation(
		lz, "BAI032", "organization.trustedAccess",
		sprintf("reports.memberFrameworks deploys a service-managed StackSet, but trusted access for %s is neither declared in organization.trustedAccess nor managed", [stacksets_principal]),
		sprintf("activate trusted access in the CloudFormation console (StackSets > Activate trusted access, in the management account; Control Tower has it on) and add %s to organization.trustedAccess, or set organization.manageTrustedAccess: true", [stacksets_principal]),
	)
}

# rule BAI033: The frameworks StackSet has organizational units to deploy to
violations contains v if {
	some lz in input.landingZones
	member_frameworks_deployed(lz)
	m := lz.reports.memberFrameworks
	count(m.organizationalUnits) == 0
	m.targetsRoot == false
	v := violation(
		lz, "BAI033", "reports.memberFrameworks.organizationalUnits",
		"the report scope names neither organizational units nor ROOT, and reports.memberFrameworks.organizationalUnits is not set: a service-managed StackSet deploys to OUs only",
		"set reports.memberFrameworks.organizationalUnits to the OUs (ou-...) that hold the accounts of the report scope",
	)
}
