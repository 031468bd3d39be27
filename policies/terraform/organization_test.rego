package backup_audit.terraform

import rego.v1

org_stack(principals) := {"stacks": {"acme-organization": {"resource": {"aws_organizations_organization": {"organization": {
	"feature_set": "ALL",
	"aws_service_access_principals": principals,
}}}}}}

test_bai127_union_with_current_passes if {
	vs := violations with input as org_stack("${setunion(tolist(data.aws_organizations_organization.organization-current.aws_service_access_principals), [\"backup.amazonaws.com\"])}")
	count(vs) == 0
}

test_bai127_fixed_list_fails if {
	vs := violations with input as org_stack(["backup.amazonaws.com", "cloudtrail.amazonaws.com"])
	[v] := by_id(vs, "BAI127")
	v.path == "resource.aws_organizations_organization.organization"
	contains(v.message, "disables every other principal")
}

test_bai127_unmanaged_principals_pass if {
	vs := violations with input as {"stacks": {"s": {"resource": {"aws_organizations_organization": {"o": {"feature_set": "ALL"}}}}}}
	count(vs) == 0
}
