package backup_audit.config

import rego.v1

# n distinct frameworks (each its own name and parameter), one control each.
numbered_frameworks(prefix, n) := [fw |
	some i in numbers.range(1, n)
	fw := fixture_framework(
		sprintf("%s_%d", [prefix, i]),
		[param_control("BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", {"requiredRetentionDays": sprintf("%d", [i + (count(prefix) * 100)])})],
	)
]

# The fixture's frameworks deployed in the reports account and Region (no StackSet; its organization compliance
# plans then report BAI030, which these tests leave aside).
local_frameworks(lz, fws) := merge(lz, {"reports": merge(lz.reports, {"frameworks": fws, "memberFrameworks": null})})

# The fixture's frameworks deployed by a StackSet into OUs.
ou_frameworks(lz, fws, ous, regions) := merge(lz, {"reports": merge(lz.reports, {
	"frameworks": fws,
	"memberFrameworks": merge(fixture_member_frameworks, {"organizationalUnits": ous, "targetsRoot": false, "regions": regions}),
})})

test_bai050_sixteen_frameworks_in_one_landing_zone_fail if {
	vs := violations with input as one(local_frameworks(fixture_lz, numbered_frameworks("f", 16)))
	[v] := of_id(vs, "BAI050")
	v.path == "reports.frameworks"
	v.message == "AWS Backup allows 15 frameworks per account and Region: account 111122223333 in us-east-1 would hold 16 (landing zones: acme-prod)"
}

test_bai050_fifteen_pass if {
	vs := violations with input as one(local_frameworks(fixture_lz, numbered_frameworks("f", 15)))
	count(of_id(vs, "BAI050")) == 0
}

test_bai050_landing_zones_sharing_an_account_add_up if {
	a := local_frameworks(fixture_named("a"), numbered_frameworks("a", 8))
	b := local_frameworks(fixture_named("b"), numbered_frameworks("bb", 8))
	vs := violations with input as {"landingZones": [a, b]}
	found := of_id(vs, "BAI050")
	count(found) == 2
	some v in found
	v.landingZone == "b"
	contains(v.message, "account 111122223333 in us-east-1 would hold 16 (landing zones: a, b)")
}

test_bai050_other_regions_and_ous_do_not_add_up if {
	a := ou_frameworks(fixture_named("a"), numbered_frameworks("a", 10), ["ou-ab12-aaaaaaaa"], ["us-east-1"])
	b := ou_frameworks(fixture_named("b"), numbered_frameworks("bb", 10), ["ou-ab12-bbbbbbbb"], ["us-east-1"])
	c := ou_frameworks(fixture_named("c"), numbered_frameworks("ccc", 10), ["ou-ab12-aaaaaaaa"], ["eu-west-1"])
	vs := violations with input as {"landingZones": [a, b, c]}
	count(vs) == 0
}

test_bai050_root_covers_every_ou_of_its_organization if {
	# fixture_named deploys to ROOT in us-east-1.
	a := merge(fixture_named("a"), {"reports": merge(fixture_named("a").reports, {"frameworks": numbered_frameworks("a", 10)})})
	b := ou_frameworks(fixture_named("b"), numbered_frameworks("bb", 6), ["ou-ab12-bbbbbbbb"], ["us-east-1"])
	vs := violations with input as {"landingZones": [a, b]}
	[v, _] := of_id(vs, "BAI050")
	contains(v.message, "would hold 16 (landing zones: a, b)")
}

test_bai050_root_skips_the_management_account_and_other_organizations if {
	a := merge(fixture_named("a"), {"reports": merge(fixture_named("a").reports, {"frameworks": numbered_frameworks("a", 10)})})

	# Frameworks beside the plans in the management account: the StackSet never deploys there.
	b := local_frameworks(fixture_named("b"), numbered_frameworks("bb", 10))
	c_local := local_frameworks(fixture_named("c"), numbered_frameworks("ccc", 10))
	c := merge(c_local, {"organizationId": "o-other00000", "reports": merge(c_local.reports, {"accountId": "999988887777"})})
	vs := violations with input as {"landingZones": [a, b, c]}
	count(of_id(vs, "BAI050")) == 0
	d := merge(b, {"reports": merge(b.reports, {"accountId": "222233334444"})})
	member := violations with input as {"landingZones": [a, d]}
	count(of_id(member, "BAI050")) == 2
}

test_bai051_more_than_50_controls_fail if {
	controls := [param_control("BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", {"requiredRetentionDays": sprintf("%d", [i])}) | some i in numbers.range(1, 26)]
	fws := [fixture_framework("first", controls), fixture_framework("second", [param_control("BACKUP_RECOVERY_POINT_ENCRYPTED", {}) | some _ in numbers.range(1, 25)])]
	vs := violations with input as one(local_frameworks(fixture_lz, fws))
	[v] := of_id(vs, "BAI051")
	contains(v.message, "account 111122223333 in us-east-1 would hold 51 (landing zones: acme-prod)")
}

test_bai052_same_controls_and_parameters_fail if {
	same := [param_control("BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", {"requiredRetentionDays": "35"})]
	vs := violations with input as one(with_frameworks([fixture_framework("first", same), fixture_framework("second", same)]))
	[v] := of_id(vs, "BAI052")
	count(vs) == 1
	v.path == "reports.frameworks[1]"
	v.message == "framework second has the same controls and parameters as framework first of landing zone acme-prod, and both are created in the same accounts and Regions: AWS Backup refuses the second (AlreadyExists)"
}

test_bai052_other_parameters_pass if {
	fws := [
		fixture_framework("first", [param_control("BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", {"requiredRetentionDays": "35"})]),
		fixture_framework("second", [param_control("BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", {"requiredRetentionDays": "90"})]),
	]
	vs := violations with input as one(with_frameworks(fws))
	count(vs) == 0
}

test_bai052_same_name_in_two_landing_zones_fails_on_the_later if {
	a := fixture_named("a")
	b := merge(fixture_named("b"), {"reports": merge(fixture_named("b").reports, {"frameworks": [merge(named_framework("b"), {"name": "a_baseline"})]})})
	vs := violations with input as {"landingZones": [a, b]}
	[v] := of_id(vs, "BAI052")
	count(vs) == 1
	v.landingZone == "b"
	v.path == "reports.frameworks[0]"
	contains(v.message, "framework a_baseline has the name of framework a_baseline of landing zone a")
}

test_bai052_same_framework_in_other_places_passes if {
	a := ou_frameworks(fixture_named("a"), [named_framework("x")], ["ou-ab12-aaaaaaaa"], ["us-east-1"])
	b := ou_frameworks(fixture_named("b"), [named_framework("x")], ["ou-ab12-bbbbbbbb"], ["us-east-1"])
	vs := violations with input as {"landingZones": [a, b]}
	count(vs) == 0
}
