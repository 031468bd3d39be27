# BAI127: managed trusted access only adds to what the organization has enabled.
# aws_service_access_principals is authoritative: a literal list disables every principal enabled later by
# Control Tower or another team on the next apply. The organization stack writes the union of the principals
# read at plan time (data.aws_organizations_organization) and its own, so that nothing is ever removed.
package backup_audit.terraform

import rego.v1

# rule BAI127: Managed trusted access is a union with the organization's current principals
violations contains v if {
	some [stack, id, org] in resources_of("aws_organizations_organization")
	principals := object.get(org, "aws_service_access_principals", null)
	principals != null
	not additive(principals)
	v := violation(
		stack, "aws_organizations_organization", id, "BAI127",
		sprintf("aws_organizations_organization %s sets aws_service_access_principals to a fixed list, which disables every other principal enabled in the organization", [id]),
		"set it to setunion(data.aws_organizations_organization.<current>.aws_service_access_principals, [<principals needed>])",
	)
}

additive(principals) if {
	is_string(principals)
	contains(principals, "setunion(")
	contains(principals, "data.aws_organizations_organization.")
}
