package backup_audit.config

import rego.v1

# A second landing zone with its own buckets but the fixture's (default) database and workgroup.
same_analytics_lz := merge(other_lz("acme-dev"), {"analytics": fixture_lz.analytics})

test_bai026_default_names_in_one_account_fail if {
	vs := violations with input as {"landingZones": [fixture_lz, same_analytics_lz]}
	[db, wg] := of_id(vs, "BAI026")
	db.landingZone == "acme-dev"
	db.path == "analytics.databaseName"
	db.message == "Glue database backup_reports in account 111122223333, Region us-east-1 is also the database of landing zone acme-prod"
	wg.path == "analytics.workgroup"
	wg.message == "Athena workgroup backup-reports in account 111122223333, Region us-east-1 is also the workgroup of landing zone acme-prod"
	count(vs) == 2
}

test_bai026_database_name_compares_case_insensitively if {
	dev := merge(same_analytics_lz, {"analytics": merge(fixture_lz.analytics, {"databaseName": "Backup_Reports", "workgroup": "dev"})})
	vs := violations with input as {"landingZones": [fixture_lz, dev]}
	[v] := of_id(vs, "BAI026")
	v.path == "analytics.databaseName"
}

test_bai026_other_account_passes if {
	dev := merge(same_analytics_lz, {"reports": merge(fixture_lz.reports, {"accountId": "444455556666"})})
	vs := violations with input as {"landingZones": [fixture_lz, dev]}
	count(of_id(vs, "BAI026")) == 0
}

test_bai026_other_region_passes if {
	dev := merge(same_analytics_lz, {"reports": merge(fixture_lz.reports, {"region": "eu-west-1"})})
	vs := violations with input as {"landingZones": [fixture_lz, dev]}
	count(of_id(vs, "BAI026")) == 0
}

test_bai026_analytics_disabled_passes if {
	dev := merge(same_analytics_lz, {"analytics": merge(fixture_lz.analytics, {"enabled": false})})
	vs := violations with input as {"landingZones": [fixture_lz, dev]}
	count(of_id(vs, "BAI026")) == 0
}
