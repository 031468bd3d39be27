# BAI055-BAI058: central backup job alerts (alerts.jobs).
# A service-managed StackSet puts a forwarding rule into every account of the target OUs in each Region of
# alerts.jobs.regions; the central bus, the formatter and the alert topic live in the analytics stack.
package backup_audit.config

import rego.v1

jobs_enabled(lz) if is_object(object.get(lz, ["alerts", "jobs"], null))

# The Regions the report plans cover; "*" in any plan's scope covers every Region.
report_scope_regions(lz) := {r | some p in lz.reports.plans; some r in p.scope.regions}

# rule BAI055: Job alert Regions are named and within the report scope
violations contains v if {
	some lz in input.landingZones
	jobs_enabled(lz)
	count(lz.alerts.jobs.regions) == 0
	v := violation(
		lz, "BAI055", "alerts.jobs.regions",
		"alerts.jobs has no Region: the report scope lists only * and neither alerts.jobs.regions nor reports.memberFrameworks.regions names one (StackSet instances need Region names)",
		"set alerts.jobs.regions to the Regions where AWS Backup runs jobs, e.g. [us-east-1, eu-west-1]",
	)
}

violations contains v if {
	some lz in input.landingZones
	jobs_enabled(lz)
	scope := report_scope_regions(lz)
	not "*" in scope
	outside := [r | some r in lz.alerts.jobs.regions; not r in scope]
	count(outside) > 0
	v := violation(
		lz, "BAI055", "alerts.jobs.regions",
		sprintf("alerts.jobs.regions lists %s outside the report scope's Regions (%s): alerts would arrive for jobs the reports never show", [name_list(outside), name_list([r | some r in scope])]),
		"remove those Regions from alerts.jobs.regions (or reports.memberFrameworks.regions, its default), or add them to reports.scope.regions",
	)
}

violations contains v if {
	some lz in input.landingZones
	jobs_enabled(lz)
	some region in lz.alerts.jobs.regions
	not region in known_regions
	v := violation(
		lz, "BAI055", "alerts.jobs.regions",
		sprintf("%s is not an AWS Region name this project knows", [region]),
		"use a Region name such as us-east-1 or eu-central-1",
	)
}

# rule BAI056: Job alerts need analytics enabled (the central bus and the alert topic live there)
violations contains v if {
	some lz in input.landingZones
	jobs_enabled(lz)
	lz.analytics.enabled == false
	v := violation(
		lz, "BAI056", "alerts.jobs.enabled",
		"alerts.jobs is enabled but analytics.enabled is false: the central bus, the formatter and the alert topic are part of the analytics stack, so the member rules would forward to a bus that does not exist",
		"set analytics.enabled: true, or set alerts.jobs.enabled: false",
	)
}

# rule BAI057: The job-alerts StackSet has trusted access for CloudFormation StackSets
violations contains v if {
	some lz in input.landingZones
	jobs_enabled(lz)
	not stacksets_trusted_access(lz)
	v := violation(
		lz, "BAI057", "organization.trustedAccess",
		sprintf("alerts.jobs deploys its member rules with a service-managed StackSet, but trusted access for %s is neither declared in organization.trustedAccess nor managed", [stacksets_principal]),
		sprintf("activate trusted access in the CloudFormation console (StackSets > Activate trusted access, in the management account; Control Tower has it on) and add %s to organization.trustedAccess, or set organization.manageTrustedAccess: true", [stacksets_principal]),
	)
}

# rule BAI058: The job-alerts StackSet has organizational units to deploy to
violations contains v if {
	some lz in input.landingZones
	jobs_enabled(lz)
	j := lz.alerts.jobs
	count(j.organizationalUnits) == 0
	j.targetsRoot == false
	v := violation(
		lz, "BAI058", "alerts.jobs.organizationalUnits",
		"the report scope names neither organizational units nor ROOT, and alerts.jobs.organizationalUnits is not set: a service-managed StackSet deploys to OUs only, so no member account would forward its job alerts",
		"set alerts.jobs.organizationalUnits to the OUs (ou-...) that hold the accounts whose jobs should alert",
	)
}
