package backup_audit.plan

import rego.v1

test_bai220_replaced_partitioner_warns if {
	fn := tagged({"function_name": "acme-prod-report-partitioner", "runtime": "nodejs22.x"})
	run := run_of([replaced("aws_lambda_function", "partitioner_function_54EE0596", fn, object.union(fn, {"function_name": "acme-partitioner"}), [["function_name"]])])
	[f] := warned(run, "BAI220")
	f.level == "warn"
	startswith(f.message, "the plan deletes and re-creates Lambda function acme-prod-report-partitioner (forced by a change of function_name; ")
	r := report with input as run
	r.deny == []
}

test_bai220_updated_partitioner_passes if {
	fn := tagged({"function_name": "acme-prod-report-partitioner", "source_code_hash": "a"})
	r := report with input as run_of([updated("aws_lambda_function", "p", fn, object.union(fn, {"source_code_hash": "b"}))])
	r == {"deny": [], "warn": [], "waived": []}
}

test_bai221_replaced_workgroup_warns if {
	run := run_of([replaced("aws_athena_workgroup", "athena_workgroup_43BFB787", workgroup(results_name), object.union(workgroup(results_name), {"name": "reports"}), [["name"]])])
	[f] := warned(run, "BAI221")
	startswith(f.message, "the plan deletes and re-creates Athena workgroup backup-reports ")
}

test_bai222_replaced_named_query_warns if {
	query := {"name": "largest_backups", "workgroup": "backup-reports", "database": "backup_reports", "query": "SELECT 1"}
	run := run_of([replaced("aws_athena_named_query", "athena_query-largest_backups_07E5FA68", query, object.union(query, {"query": "SELECT 2"}), [["query"]])])
	[f] := warned(run, "BAI222")
	startswith(f.message, "the plan deletes and re-creates Athena named query largest_backups (forced by a change of query; ")
}

test_bai223_added_and_removed_principals_warn if {
	old := organization(["backup.amazonaws.com", "config.amazonaws.com"])
	new := organization(["cloudtrail.amazonaws.com", "backup.amazonaws.com", "sso.amazonaws.com"])
	[f] := warned(run_of([updated("aws_organizations_organization", "organization", old, new)]), "BAI223")
	f.message == "the plan changes the organization's trusted-access list: adds cloudtrail.amazonaws.com, sso.amazonaws.com; removes config.amazonaws.com"
}

test_bai223_same_principals_in_another_order_pass if {
	old := organization(["backup.amazonaws.com", "config.amazonaws.com"])
	new := object.union(organization(["config.amazonaws.com", "backup.amazonaws.com"]), {"feature_set": "ALL"})
	warned(run_of([updated("aws_organizations_organization", "organization", old, new)]), "BAI223") == []
}

test_bai223_unknown_principals_warn if {
	old := organization(["backup.amazonaws.com"])
	change := with_unknown(updated("aws_organizations_organization", "organization", old, object.remove(old, ["aws_service_access_principals"])), {"aws_service_access_principals": true})
	[f] := warned(run_of([change]), "BAI223")
	startswith(f.message, "the plan sets the organization's trusted-access list (aws_service_access_principals) to a value known only after apply")
}

test_bai223_imported_organization_with_new_principals_warns if {
	imported := object.union(updated("aws_organizations_organization", "organization", organization(["backup.amazonaws.com"]), organization(["backup.amazonaws.com", "cloudtrail.amazonaws.com"])), {"change": {"importing": {"id": "o-abc123def4"}}})
	[f] := warned(run_of([imported]), "BAI223")
	f.message == "the plan changes the organization's trusted-access list: adds cloudtrail.amazonaws.com"
}

test_bai225_deleted_framework_warns if {
	framework := tagged({"name": "acme_backup_baseline", "control": []})
	[f] := warned(run_of([deleted("aws_backup_framework", "frameworks_framework-acme_backup_baseline_1A2B3C4D", framework)]), "BAI225")
	startswith(f.message, "the plan deletes AWS Backup framework acme_backup_baseline ")
}
