package backup_audit.config

import rego.v1

org_manager(lz, over) := merge(lz, {"organization": merge(lz.organization, over)})

all_org_resources := {
	"manageTrustedAccess": true,
	"delegatedAdminAccountId": "444455556666",
	"globalSettings": {"isCrossAccountBackupEnabled": true, "isMpaEnabled": false, "isDelegatedAdministratorEnabled": true},
}

test_bai028_two_managers_of_one_organization_fail_on_the_later if {
	prod := org_manager(fixture_lz, all_org_resources)
	dev := org_manager(fixture_named("acme-dev"), all_org_resources)
	vs := violations with input as {"landingZones": [prod, dev]}
	found := of_id(vs, "BAI028")
	{[v.landingZone, v.path] | some v in found} == {
		["acme-dev", "organization.manageTrustedAccess"],
		["acme-dev", "organization.globalSettings"],
		["acme-dev", "organization.delegatedAdminAccountId"],
	}
	count(found) == 3
	some v in found
	v.path == "organization.globalSettings"
	v.message == "organization.globalSettings manages an organization-level resource of o-abc123def4, which landing zone acme-prod already manages"
}

test_bai028_different_resources_of_one_organization_fail if {
	prod := org_manager(fixture_lz, {"manageTrustedAccess": true})
	dev := org_manager(fixture_named("acme-dev"), {"delegatedAdminAccountId": "444455556666"})
	vs := violations with input as {"landingZones": [prod, dev]}
	[v] := of_id(vs, "BAI028")
	v.landingZone == "acme-dev"
	v.path == "organization.delegatedAdminAccountId"
}

test_bai028_one_manager_and_one_declaring_zone_pass if {
	prod := org_manager(fixture_lz, all_org_resources)
	vs := violations with input as {"landingZones": [prod, fixture_named("acme-dev")]}
	count(of_id(vs, "BAI028")) == 0
}

test_bai028_managers_of_different_organizations_pass if {
	prod := org_manager(fixture_lz, all_org_resources)
	dev := merge(org_manager(fixture_named("acme-dev"), all_org_resources), {"organizationId": "o-zyx987wvu6"})
	vs := violations with input as {"landingZones": [prod, dev]}
	count(of_id(vs, "BAI028")) == 0
}

test_bai028_three_managers_name_every_earlier_one if {
	a := org_manager(fixture_lz, {"manageTrustedAccess": true})
	b := org_manager(fixture_named("acme-b"), {"manageTrustedAccess": true})
	c := org_manager(fixture_named("acme-c"), {"manageTrustedAccess": true})
	vs := violations with input as {"landingZones": [a, b, c]}
	found := of_id(vs, "BAI028")
	count(found) == 2
	some v in found
	v.landingZone == "acme-c"
	contains(v.message, "landing zone acme-b, acme-prod already manages")
}
