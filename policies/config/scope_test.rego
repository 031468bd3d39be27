package backup_audit.config

import rego.v1

with_scope(scope) := lz_with_reports({"plans": [merge(p, {"scope": merge(p.scope, scope)}) | some p in fixture_plans]})

test_bai013_root_id_in_organizational_units_fails if {
	vs := violations with input as one(with_scope({"organizationalUnits": ["r-ab12"]}))
	[v] := of_id(vs, "BAI013")
	v.path == "reports.scope.organizationalUnits"
	v.message == "r-ab12 is an organization root id; report plans accept only organizational unit ids (ou-...) in organizationalUnits"
	contains(v.fix, "ROOT in accounts")
}

test_bai013_malformed_ou_fails if {
	vs := violations with input as one(with_scope({"organizationalUnits": ["ou-ab12-cd34ef56", "ou-XY"]}))
	[v] := of_id(vs, "BAI013")
	startswith(v.message, "ou-XY is not an organizational unit id")
}

test_bai013_ou_ids_pass if {
	vs := violations with input as one(with_scope({"organizationalUnits": ["ou-ab12-cd34ef56", "ou-z9y8x7-0123456789ab"]}))
	count(vs) == 0
}

test_bai014_short_account_fails if {
	vs := violations with input as one(with_scope({"accounts": ["ROOT", "12345678901", "root"]}))
	found := of_id(vs, "BAI014")
	{v.message | some v in found} == {"12345678901 is neither a 12-digit account id nor ROOT", "root is neither a 12-digit account id nor ROOT"}
	every v in found {
		v.path == "reports.scope.accounts"
	}
}

test_bai014_account_ids_pass if {
	vs := violations with input as one(with_scope({"accounts": ["012345678901", "444455556666"]}))
	count(of_id(vs, "BAI014")) == 0
}

test_bai015_unknown_region_fails if {
	vs := violations with input as one(with_scope({"regions": ["us-east-1", "eu-middle-1"]}))
	[v] := of_id(vs, "BAI015")
	v.path == "reports.scope.regions"
	v.message == "eu-middle-1 is not an AWS Region name"
}

test_bai015_unknown_home_region_fails if {
	vs := violations with input as one(lz_with({"homeRegion": "us-east-7", "reports": merge(fixture_lz.reports, {"region": "us-east-7"})}))
	[v] := of_id(vs, "BAI015")
	v.path == "homeRegion"
}

test_bai015_unknown_reports_region_fails if {
	vs := violations with input as one(lz_with_reports({"region": "eu-west-9"}))
	[v] := of_id(vs, "BAI015")
	v.path == "reports.region"
}

test_bai015_real_regions_pass if {
	vs := violations with input as one(with_scope({"regions": ["us-gov-west-1", "cn-north-1", "ap-southeast-7", "eu-west-1"]}))
	count(of_id(vs, "BAI015")) == 0
}
