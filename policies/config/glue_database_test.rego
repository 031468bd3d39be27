package backup_audit.config

import rego.v1

analytics_named(db) := merge(fixture_lz.analytics, {"databaseName": db})

test_bai006_hyphenated_database_fails if {
	vs := violations with input as one(lz_with({"analytics": analytics_named("backup-reports")}))
	[v] := of_id(vs, "BAI006")
	v.path == "analytics.databaseName"
	contains(v.message, "\"backup-reports\"")
	contains(v.fix, "backup_reports")
}

test_bai006_upper_case_database_fails if {
	vs := violations with input as one(lz_with({"analytics": analytics_named("BackupReports")}))
	count(of_id(vs, "BAI006")) == 1
}

test_bai006_underscored_database_passes if {
	vs := violations with input as one(lz_with({"analytics": analytics_named("backup_reports_2")}))
	count(of_id(vs, "BAI006")) == 0
}

test_bai006_disabled_analytics_is_not_checked if {
	vs := violations with input as one(lz_with({"analytics": merge(analytics_named("x-y"), {"enabled": false})}))
	count(of_id(vs, "BAI006")) == 0
}
