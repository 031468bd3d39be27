package backup_audit.config

import rego.v1

prefixed(template, prefix) := {"keyPrefix": prefix, "fieldPaths": merge(fixture_plan(template, prefix).fieldPaths, {"keyPrefix": concat("", ["reports.overrides.", template, ".keyPrefix"])})}

test_bai017_shared_prefix_fails if {
	vs := violations with input as one(lz_with_plan(1, prefixed("COPY_JOB_REPORT", "BackupJob")))
	[v] := of_id(vs, "BAI017")
	v.path == "reports.overrides.COPY_JOB_REPORT.keyPrefix"
	v.message == "report plans acme_prod_backup_job_report (key prefix \"BackupJob\") and acme_prod_copy_job_report (key prefix \"BackupJob\") share a folder"
}

test_bai017_nested_prefix_fails if {
	vs := violations with input as one(lz_with_plan(0, prefixed("BACKUP_JOB_REPORT", "CopyJob/backup")))
	[v] := of_id(vs, "BAI017")
	v.path == "reports.overrides.BACKUP_JOB_REPORT.keyPrefix"
}

test_bai017_similar_but_separate_prefixes_pass if {
	vs := violations with input as one(lz_with_plan(1, prefixed("COPY_JOB_REPORT", "BackupJob2")))
	count(of_id(vs, "BAI017")) == 0
}
