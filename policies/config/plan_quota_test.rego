package backup_audit.config

import rego.v1

# A landing zone named n in the fixture's account, with its own plan and bucket names (so BAI008/BAI025/BAI026
# stay quiet).
quota_lz(n) := fixture_named(n)

test_bai010_more_than_20_plans_in_one_account_fails if {
	lzs := [quota_lz(n) | some n in ["a", "b", "c", "d", "e"]]
	vs := violations with input as {"landingZones": lzs}
	found := of_id(vs, "BAI010")
	count(found) == 5
	some v in found
	v.landingZone == "c"
	v.path == "reports.templates"
	v.message == "account 111122223333 would hold 25 report plans (landing zones: a, b, c, d, e), more than the 20 AWS Backup allows per account"
	count(vs) == 5
}

test_bai010_20_plans_pass if {
	lzs := [quota_lz(n) | some n in ["a", "b", "c", "d"]]
	vs := violations with input as {"landingZones": lzs}
	count(vs) == 0
}
