package backup_audit.plan

import rego.v1

test_unchanged_plan_passes if {
	r := report with input as run_of(unchanged_reporting)
	r == {"deny": [], "warn": [], "waived": []}
}

test_additive_plan_passes if {
	run := run_of(array.concat(unchanged_reporting, [
		created("aws_backup_report_plan", "report-plans_restore_job_report_02AC26AE", report_plan("acme_prod_restore_job_report")),
		created("aws_s3_bucket", "extra", bucket("acme-extra")),
		updated("aws_s3_bucket", "tags", bucket("acme-tags"), object.union(bucket("acme-tags"), {"tags": {"cost-center": "cc-1"}})),
	]))
	r := report with input as run
	r == {"deny": [], "warn": [], "waived": []}
}

test_bai201_renamed_bucket_is_refused if {
	renamed := replaced("aws_s3_bucket", reports_bucket, bucket(reports_name), bucket("acme-reports-renamed"), [["bucket"]])
	[f] := denied(run_of([renamed]), "BAI201")
	f.address == "aws_s3_bucket.reports-bucket_395B9273"
	f.path == f.address
	f.file == "cdktf.out/stacks/acme-prod-reporting/plan.json"
	f.stack == "acme-prod-reporting"
	f.landingZone == "acme-prod"
	f.level == "deny"
	f.actions == ["delete", "create"]
	startswith(f.message, "the plan deletes and re-creates S3 bucket acme-backup-reports-222233334444 (forced by a change of bucket; Terraform: replace_because_cannot_update): its objects")
}

test_bai201_deleted_bucket_is_refused if {
	[f] := denied(run_of([deleted("aws_s3_bucket", log_bucket, bucket(log_name))]), "BAI201")
	startswith(f.message, "the plan deletes S3 bucket acme-backup-reports-logs-222233334444 (Terraform: delete_because_no_resource_config): ")
}

test_bai201_create_before_destroy_and_deposed_objects_are_refused if {
	cbd := rc("aws_s3_bucket", reports_bucket, ["create", "delete"], bucket(reports_name), bucket(reports_name))
	[f] := denied(run_of([cbd]), "BAI201")
	startswith(f.message, "the plan creates a replacement for, then deletes, S3 bucket acme-backup-reports-222233334444:")
	deposed := object.union(deleted("aws_s3_bucket", reports_bucket, bucket(reports_name)), {"deposed": "0a1b2c3d"})
	[g] := denied(run_of([deposed]), "BAI201")
	startswith(g.message, "the plan deletes the deposed object 0a1b2c3d of S3 bucket acme-backup-reports-222233334444 ")
}

test_bai201_sensitive_bucket_name_is_not_printed if {
	del := deleted("aws_s3_bucket", reports_bucket, bucket(reports_name))
	secret := object.union(del, {"change": object.union(del.change, {"before_sensitive": {"bucket": true}})})
	[f] := denied(run_of([secret]), "BAI201")
	startswith(f.message, "the plan deletes S3 bucket (sensitive value) ")
	not contains(f.message, reports_name)
}

test_bai201_results_bucket_is_a_warning_not_a_refusal if {
	run := run_of([
		noop("aws_athena_workgroup", "athena_workgroup_43BFB787", workgroup(results_name)),
		deleted("aws_s3_bucket", "athena_results-bucket_31BA483B", bucket(results_name)),
	])
	denied(run, "BAI201") == []
	[f] := warned(run, "BAI224")
	f.level == "warn"
	startswith(f.message, "the plan deletes S3 bucket acme-backup-reports-222233334444-athena (Terraform: delete_because_no_resource_config), the query results location")
}

test_bai201_results_bucket_recognised_by_the_workgroup_before_the_change if {
	moved := updated("aws_athena_workgroup", "athena_workgroup_43BFB787", workgroup(results_name), workgroup("acme-new-results"))
	run := run_of([moved, deleted("aws_s3_bucket", "athena_results-bucket_31BA483B", bucket(results_name))])
	denied(run, "BAI201") == []
	count(warned(run, "BAI224")) == 1
}

test_bai201_unknown_results_location_fails_closed if {
	# The workgroup is created by this plan with an output location known only after apply: the deleted bucket
	# cannot be shown to be a results bucket, so it is refused.
	wg := with_unknown(created("aws_athena_workgroup", "athena_workgroup_43BFB787", {"name": "backup-reports", "configuration": [{"result_configuration": [{}]}]}), {"configuration": [{"result_configuration": [{"output_location": true}]}]})
	run := run_of([wg, deleted("aws_s3_bucket", "athena_results-bucket_31BA483B", bucket(results_name))])
	count(denied(run, "BAI201")) == 1
	warned(run, "BAI224") == []
}

test_bai201_data_sources_are_ignored if {
	data_read := object.union(deleted("aws_s3_bucket", "existing", bucket(reports_name)), {"mode": "data", "address": "data.aws_s3_bucket.existing"})
	r := report with input as run_of([data_read])
	r.deny == []
}

test_bai202_renamed_and_dropped_report_plans_are_refused if {
	rename := replaced("aws_backup_report_plan", "report-plans_backup_job_report_506DF34E", report_plan("acme_prod_backup_job_report"), report_plan("acme_prod_backup_jobs"), [["name"]])
	drop := deleted("aws_backup_report_plan", "report-plans_copy_job_report_73B16130", report_plan("acme_prod_copy_job_report"))
	fs := denied(run_of([rename, drop]), "BAI202")
	{f.address | some f in fs} == {"aws_backup_report_plan.report-plans_backup_job_report_506DF34E", "aws_backup_report_plan.report-plans_copy_job_report_73B16130"}
	some f in fs
	startswith(f.message, "the plan deletes and re-creates report plan acme_prod_backup_job_report (forced by a change of name; Terraform: replace_because_cannot_update): AWS Backup stops")
}

test_bai203_deleted_trail_is_refused if {
	[f] := denied(run_of([deleted("aws_cloudtrail", "backup-trail_6B6A9A26", trail)]), "BAI203")
	startswith(f.message, "the plan deletes CloudTrail trail acme-prod-backup-events ")
}

test_bai204_stack_set_and_instances_are_refused if {
	set := tagged({"name": "acme-prod-backup-frameworks", "permission_model": "SERVICE_MANAGED"})
	instance := {"stack_set_name": "acme-prod-backup-frameworks", "stack_set_instance_region": "eu-west-1", "call_as": "SELF"}
	run := run_of([
		replaced("aws_cloudformation_stack_set", "frameworks_stack-set_4775A6C6", set, object.union(set, {"name": "acme-frameworks"}), [["name"]]),
		deleted("aws_cloudformation_stack_set_instance", "frameworks_instance-eu-west-1_45707D9F", instance),
	])
	fs := denied(run, "BAI204")
	count(fs) == 2
	some f in fs
	startswith(f.message, "the plan deletes stack instance of the frameworks StackSet in Region eu-west-1 ")
}

test_bai205_deleted_glue_database_is_refused if {
	db := tagged({"name": "backup_reports", "catalog_id": "222233334444"})
	[f] := denied(run_of([deleted("aws_glue_catalog_database", "report-tables_database_6EA57B41", db)]), "BAI205")
	startswith(f.message, "the plan deletes Glue database backup_reports ")
}

test_bai206_deleted_and_disabled_keys_are_refused if {
	[f] := denied(run_of([deleted("aws_kms_key", "reports-key_key_1A2B3C4D", kms_key)]), "BAI206")
	startswith(f.message, "the plan deletes KMS key Encrypts the reports bucket acme-backup-reports-222233334444 ")
	[g] := denied(run_of([updated("aws_kms_key", "reports-key_key_1A2B3C4D", kms_key, object.union(kms_key, {"is_enabled": false}))]), "BAI206")
	g.message == "the plan disables KMS key Encrypts the reports bucket acme-backup-reports-222233334444: nothing encrypted under it can be read or written while it is disabled"
}

test_bai206_key_state_unknown_fails_closed if {
	unknown := with_unknown(updated("aws_kms_key", "k", kms_key, object.remove(kms_key, ["is_enabled"])), {"is_enabled": true})
	[f] := denied(run_of([unknown]), "BAI206")
	contains(f.message, "(is_enabled is known only after apply, so the plan cannot show it is kept)")
}

test_bai206_other_key_updates_pass if {
	rotated := updated("aws_kms_key", "k", kms_key, object.union(kms_key, {"description": "new text"}))
	denied(run_of([rotated]), "BAI206") == []
}

test_bai207_deleted_organization_is_refused if {
	org := organization(["backup.amazonaws.com"])
	[f] := denied(run_of([deleted("aws_organizations_organization", "organization", org)]), "BAI207")
	startswith(f.message, "the plan deletes organization o-abc123def4 ")
	warned(run_of([deleted("aws_organizations_organization", "organization", org)]), "BAI223") == []
}

test_bai208_errored_plan_is_refused if {
	run := run_of(unchanged_reporting)
	broken := object.union(run, {"plans": [object.union(run.plans[0], {"plan": object.union(run.plans[0].plan, {"errored": true})})]})
	[f] := denied(broken, "BAI208")
	f.path == "errored"
	f.address == ""
}

test_plans_without_resource_changes_pass if {
	r := report with input as {"today": today, "plans": [
		{"file": "a.json", "stack": "a", "plan": {"format_version": "1.2"}},
		{"file": "b.json", "stack": "b", "plan": {"format_version": "1.2", "resource_changes": null}},
		{"file": "c.json", "stack": "c", "plan": {"format_version": "1.2", "resource_changes": ["not a change", 3]}},
	]}
	r == {"deny": [], "warn": [], "waived": []}
}

test_landing_zone_from_tags_after_the_change_when_the_state_has_none if {
	old := object.remove(bucket(reports_name), ["tags_all"])
	[f] := denied(run_of([replaced("aws_s3_bucket", reports_bucket, old, bucket("acme-new"), [["bucket"]])]), "BAI201")
	f.landingZone == "acme-prod"
	[g] := denied(run_of([deleted("aws_s3_bucket", reports_bucket, old)]), "BAI201")
	not g.landingZone
}

test_wholly_sensitive_state_is_not_printed if {
	del := deleted("aws_backup_report_plan", "p", report_plan("acme_prod_backup_job_report"))
	secret := object.union(del, {"change": object.union(del.change, {"before_sensitive": true})})
	[f] := denied(run_of([secret]), "BAI202")
	startswith(f.message, "the plan deletes report plan (sensitive value) ")
}

test_removal_without_a_name_says_so if {
	[f] := denied(run_of([deleted("aws_glue_catalog_database", "d", {"catalog_id": "222233334444"})]), "BAI205")
	startswith(f.message, "the plan deletes Glue database (unnamed) ")
}

framework_template(names) := json.marshal({"Resources": {sprintf("Framework%d", [i]): {"Type": "AWS::Backup::Framework", "Properties": {"FrameworkName": name, "FrameworkControls": []}} | some i, name in names}})

stack_set_with(names) := tagged({"name": "acme-prod-backup-frameworks", "template_body": framework_template(names)})

test_bai209_dropped_or_reordered_frameworks_are_refused if {
	dropped := updated("aws_cloudformation_stack_set", "frameworks_stack-set_4775A6C6", stack_set_with(["baseline", "vaults"]), stack_set_with(["baseline"]))
	[f] := denied(run_of([dropped]), "BAI209")
	f.message == "the plan changes the template of frameworks StackSet acme-prod-backup-frameworks so that it no longer deploys framework vaults (Framework1): CloudFormation deletes or replaces it in every member account, and its control evaluations start again"
	first_dropped := updated("aws_cloudformation_stack_set", "s", stack_set_with(["baseline", "vaults"]), stack_set_with(["vaults"]))
	[g] := denied(run_of([first_dropped]), "BAI209")
	contains(g.message, "framework baseline (Framework0), vaults (Framework1):")
}

test_bai209_added_framework_passes if {
	added := updated("aws_cloudformation_stack_set", "s", stack_set_with(["baseline"]), stack_set_with(["baseline", "vaults"]))
	denied(run_of([added]), "BAI209") == []
}

test_bai209_unknown_template_fails_closed if {
	change := with_unknown(updated("aws_cloudformation_stack_set", "s", stack_set_with(["baseline"]), object.remove(stack_set_with(["baseline"]), ["template_body"])), {"template_body": true})
	[f] := denied(run_of([change]), "BAI209")
	contains(f.message, "(template_body is known only after apply, so the plan cannot show it is kept)")
}
