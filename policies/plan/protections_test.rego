package backup_audit.plan

import rego.v1

sse_address := "reports-bucket_encryption_28330340"

test_bai210_deleted_encryption_is_refused if {
	run := run_of([noop("aws_s3_bucket", reports_bucket, bucket(reports_name)), deleted("aws_s3_bucket_server_side_encryption_configuration", sse_address, sse(reports_name, "AES256"))])
	[f] := denied(run, "BAI210")
	f.address == "aws_s3_bucket_server_side_encryption_configuration.reports-bucket_encryption_28330340"
	f.message == "the plan deletes the resource that holds, and so switches off, default encryption of S3 bucket acme-backup-reports-222233334444 (Terraform: delete_because_no_resource_config)"
}

test_bai210_changing_the_algorithm_passes if {
	run := run_of([updated("aws_s3_bucket_server_side_encryption_configuration", sse_address, sse(reports_name, "aws:kms"), sse(reports_name, "AES256"))])
	denied(run, "BAI210") == []
}

test_bai210_removed_algorithm_is_refused if {
	run := run_of([updated("aws_s3_bucket_server_side_encryption_configuration", sse_address, sse(reports_name, "AES256"), object.union(sse(reports_name, ""), {"rule": []}))])
	[f] := denied(run, "BAI210")
	f.message == "the plan switches off default encryption of S3 bucket acme-backup-reports-222233334444"
}

test_bai210_unknown_algorithm_fails_closed if {
	new := object.union(sse(reports_name, "aws:kms"), {"rule": [{"apply_server_side_encryption_by_default": [{}], "bucket_key_enabled": true}]})
	change := with_unknown(updated("aws_s3_bucket_server_side_encryption_configuration", sse_address, sse(reports_name, "AES256"), new), {"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": true, "kms_master_key_id": true}]}]})
	[f] := denied(run_of([change]), "BAI210")
	f.message == "the plan switches off default encryption of S3 bucket acme-backup-reports-222233334444: the value is known only after apply, so the plan cannot show it stays on"
}

test_bai210_unknown_key_with_a_known_algorithm_passes if {
	new := object.union(sse(reports_name, "aws:kms"), {"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}], "bucket_key_enabled": true}]})
	change := with_unknown(updated("aws_s3_bucket_server_side_encryption_configuration", sse_address, sse(reports_name, "AES256"), new), {"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": true}]}]})
	denied(run_of([change]), "BAI210") == []
}

test_bai210_replacement_destroy_first_passes_create_first_is_refused if {
	destroy_first := rc("aws_s3_bucket_server_side_encryption_configuration", sse_address, ["delete", "create"], sse(reports_name, "AES256"), sse(reports_name, "AES256"))
	denied(run_of([destroy_first]), "BAI210") == []
	create_first := rc("aws_s3_bucket_server_side_encryption_configuration", sse_address, ["create", "delete"], sse(reports_name, "AES256"), sse(reports_name, "AES256"))
	[f] := denied(run_of([create_first]), "BAI210")
	startswith(f.message, "the plan creates a replacement for, then deletes, the resource that holds, and so switches off, default encryption")
}

test_bai210_companions_of_a_deleted_bucket_are_reported_once_by_bai201 if {
	run := run_of([
		deleted("aws_s3_bucket", reports_bucket, bucket(reports_name)),
		deleted("aws_s3_bucket_server_side_encryption_configuration", sse_address, sse(reports_name, "AES256")),
		deleted("aws_s3_bucket_versioning", "v", versioning(reports_name, "Enabled")),
		deleted("aws_s3_bucket_public_access_block", "p", pab(reports_name)),
		deleted("aws_s3_bucket_logging", "l", logging(reports_name, log_name)),
	])
	r := report with input as run
	[f.id | some f in r.deny] == ["BAI201"]
}

test_bai210_results_bucket_protections_are_not_checked if {
	run := run_of([
		noop("aws_athena_workgroup", "athena_workgroup_43BFB787", workgroup(results_name)),
		deleted("aws_s3_bucket_versioning", "v", versioning(results_name, "Enabled")),
	])
	r := report with input as run
	r.deny == []
}

test_bai210_trail_encryption_removed_is_refused if {
	[f] := denied(run_of([updated("aws_cloudtrail", "backup-trail_6B6A9A26", trail, object.union(trail, {"kms_key_id": ""}))]), "BAI210")
	f.message == "the plan switches off encryption with its KMS key (SSE-KMS of the log files) of CloudTrail trail acme-prod-backup-events"
}

test_bai210_trail_key_unknown_fails_closed if {
	change := with_unknown(updated("aws_cloudtrail", "backup-trail_6B6A9A26", trail, object.remove(trail, ["kms_key_id"])), {"kms_key_id": true})
	[f] := denied(run_of([change]), "BAI210")
	endswith(f.message, "(kms_key_id is known only after apply, so the plan cannot show it is kept)")
}

test_bai210_trail_key_changed_passes if {
	denied(run_of([updated("aws_cloudtrail", "t", trail, object.union(trail, {"kms_key_id": "arn:aws:kms:us-east-1:111122223333:key/other"}))]), "BAI210") == []
}

test_bai211_suspended_versioning_is_refused if {
	[f] := denied(run_of([updated("aws_s3_bucket_versioning", "reports-bucket_versioning_189A77A6", versioning(reports_name, "Enabled"), versioning(reports_name, "Suspended"))]), "BAI211")
	f.message == "the plan switches off versioning of S3 bucket acme-backup-reports-222233334444"
}

test_bai211_versioning_that_was_off_passes if {
	denied(run_of([updated("aws_s3_bucket_versioning", "v", versioning(log_name, "Suspended"), object.union(versioning(log_name, "Suspended"), {"expected_bucket_owner": "222233334444"}))]), "BAI211") == []
}

test_bai211_versioning_moved_to_another_bucket_is_refused if {
	moved := replaced("aws_s3_bucket_versioning", "v", versioning(reports_name, "Enabled"), versioning("acme-other", "Enabled"), [["bucket"]])
	count(denied(run_of([moved]), "BAI211")) == 1
}

test_bai212_public_access_settings_switched_off_are_named if {
	new := object.union(pab(reports_name), {"block_public_policy": false, "restrict_public_buckets": false})
	[f] := denied(run_of([updated("aws_s3_bucket_public_access_block", "p", pab(reports_name), new)]), "BAI212")
	f.message == "the plan switches off block_public_policy, restrict_public_buckets of the public access block of S3 bucket acme-backup-reports-222233334444"
}

test_bai212_deleted_public_access_block_is_refused if {
	[f] := denied(run_of([deleted("aws_s3_bucket_public_access_block", "p", pab(log_name))]), "BAI212")
	contains(f.message, "block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets of the public access block of S3 bucket acme-backup-reports-logs-222233334444")
}

test_bai213_log_file_validation_switched_off_is_refused if {
	[f] := denied(run_of([updated("aws_cloudtrail", "t", trail, object.union(trail, {"enable_log_file_validation": false}))]), "BAI213")
	startswith(f.message, "the plan switches off log-file validation (the digest files that prove the logs were not changed) of CloudTrail trail acme-prod-backup-events")
	f.fix == "keep enable_log_file_validation of the trail as it is (BackupTrail sets it); if switching it off is intended, add a waiver"
}

test_bai214_deleted_access_logging_is_refused if {
	[f] := denied(run_of([deleted("aws_s3_bucket_logging", "reports-bucket_logging_142E2F1E", logging(reports_name, log_name))]), "BAI214")
	contains(f.message, "switches off, server access logging of S3 bucket acme-backup-reports-222233334444")
}

test_bai214_new_log_target_passes if {
	denied(run_of([updated("aws_s3_bucket_logging", "l", logging(reports_name, log_name), logging(reports_name, "acme-new-logs"))]), "BAI214") == []
}

test_bai214_unknown_log_target_fails_closed if {
	change := with_unknown(updated("aws_s3_bucket_logging", "l", logging(reports_name, log_name), object.remove(logging(reports_name, log_name), ["target_bucket"])), {"target_bucket": true})
	[f] := denied(run_of([change]), "BAI214")
	endswith(f.message, ": the value is known only after apply, so the plan cannot show it stays on")
}

test_bai215_trail_logging_stopped_is_refused if {
	[f] := denied(run_of([updated("aws_cloudtrail", "t", trail, object.union(trail, {"enable_logging": false}))]), "BAI215")
	startswith(f.message, "the plan switches off logging (the trail stops recording AWS Backup's API calls) of CloudTrail trail")
}

test_trail_created_is_not_checked_here if {
	r := report with input as run_of([created("aws_cloudtrail", "t", object.union(trail, {"enable_logging": false}))])
	r.deny == []
}

test_bai211_versioning_kept_on_passes if {
	new := object.union(versioning(reports_name, "Enabled"), {"expected_bucket_owner": "222233334444"})
	denied(run_of([updated("aws_s3_bucket_versioning", "v", versioning(reports_name, "Enabled"), new)]), "BAI211") == []
}

test_bai211_whole_object_unknown_fails_closed if {
	change := object.union(updated("aws_s3_bucket_versioning", "v", versioning(reports_name, "Enabled"), {}), {"change": object.union(updated("aws_s3_bucket_versioning", "v", versioning(reports_name, "Enabled"), {}).change, {"after_unknown": true})})
	[f] := denied(run_of([change]), "BAI211")
	endswith(f.message, ": the value is known only after apply, so the plan cannot show it stays on")
}

test_bai211_blocks_written_as_objects_are_read if {
	old := object.union(versioning(reports_name, "Enabled"), {"versioning_configuration": {"status": "Enabled"}})
	new := object.union(old, {"versioning_configuration": {"status": "Suspended"}})
	count(denied(run_of([updated("aws_s3_bucket_versioning", "v", old, new)]), "BAI211")) == 1
}

test_bai210_null_rule_is_no_encryption if {
	run := run_of([updated("aws_s3_bucket_server_side_encryption_configuration", sse_address, sse(reports_name, "AES256"), object.union(sse(reports_name, ""), {"rule": null}))])
	count(denied(run, "BAI210")) == 1
}
