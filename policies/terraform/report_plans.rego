# BAI105: report plans that cover more than one account or Region deliver CSV only (AWS rejects JSON there).
package backup_audit.terraform

import rego.v1

organization_scope(setting) if count(object.get(setting, "accounts", [])) > 0

organization_scope(setting) if count(object.get(setting, "organization_units", [])) > 0

organization_scope(setting) if "*" in object.get(setting, "regions", [])

organization_scope(setting) if count(object.get(setting, "regions", [])) > 1

# rule BAI105: Organization report plans deliver CSV only
violations contains v if {
	some [stack, id, plan] in resources_of("aws_backup_report_plan")
	organization_scope(first_block(plan, "report_setting"))
	formats := object.get(first_block(plan, "report_delivery_channel"), "formats", [])
	formats != ["CSV"]
	v := violation(
		stack, "aws_backup_report_plan", id, "BAI105",
		sprintf("report plan %s covers several accounts or Regions but its formats are not exactly [\"CSV\"]", [id]),
		"set report_delivery_channel.formats to [\"CSV\"]",
	)
}
