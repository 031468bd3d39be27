# BAI028: one landing zone per organization manages the organization-level resources.
# Trusted access (aws_service_access_principals), AWS Backup global settings and the delegated administrator
# exist once per organization: two landing zones that both manage them would fight over the same settings (the
# later apply overwrites or fails with AlreadyExists). The violation goes to every later landing zone of the
# organization (by position in the run) that manages any of them, naming the earlier manager.
package backup_audit.config

import rego.v1

# The organization-level fields a landing zone manages, by config path.
org_managed(lz) := {path |
	some path, managed in {
		"organization.manageTrustedAccess": lz.organization.manageTrustedAccess == true,
		"organization.globalSettings": lz.organization.globalSettings != null,
		"organization.delegatedAdminAccountId": lz.organization.delegatedAdminAccountId != null,
	}
	managed
}

# rule BAI028: One landing zone per organization manages trusted access, global settings and the delegated administrator
violations contains v if {
	some i, lz in input.landingZones
	some path in org_managed(lz)
	earlier := {other.name |
		some j, other in input.landingZones
		j < i
		other.organizationId == lz.organizationId
		count(org_managed(other)) > 0
	}
	count(earlier) > 0
	v := violation(
		lz, "BAI028", path,
		sprintf("%s manages an organization-level resource of %s, which landing zone %s already manages", [path, lz.organizationId, name_list(earlier)]),
		sprintf("manage trusted access, global settings and the delegated administrator of %s in one landing zone only: here set manageTrustedAccess: false, globalSettings: null and delegatedAdminAccountId: null (declare trustedAccess instead)", [lz.organizationId]),
	)
}
