# Test fixtures for the plan guard: resource changes in the shape `terraform show -json` writes them (format 1.2,
# addresses and names as cdktf synthesizes them), and builders so that a test states only what it changes.
package backup_audit.plan

import rego.v1

lz_tags := {"backup-audit:landing-zone": "acme-prod", "owner": "platform-team"}

today := "2026-06-02"

# A resource change: actions, the object before and after, and nothing unknown or sensitive.
rc(type, name, actions, old, new) := {
	"address": concat(".", [type, name]),
	"mode": "managed",
	"type": type,
	"name": name,
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {
		"actions": actions,
		"before": old,
		"after": new,
		"after_unknown": {},
		"before_sensitive": sensitivity(old),
		"after_sensitive": sensitivity(new),
	},
}

sensitivity(obj) := {"tags": {}, "tags_all": {}} if is_object(obj)

sensitivity(null) := false

noop(type, name, obj) := rc(type, name, ["no-op"], obj, obj)

created(type, name, obj) := rc(type, name, ["create"], null, obj)

updated(type, name, old, new) := rc(type, name, ["update"], old, new)

deleted(type, name, obj) := object.union(rc(type, name, ["delete"], obj, null), {"action_reason": "delete_because_no_resource_config"})

replaced(type, name, old, new, paths) := object.union(rc(type, name, ["delete", "create"], old, new), {
	"action_reason": "replace_because_cannot_update",
	"change": object.union(rc(type, name, ["delete", "create"], old, new).change, {"replace_paths": paths}),
})

# The same change with some values after the plan unknown (after_unknown) and left out of `after`.
with_unknown(change, marks) := object.union(change, {"change": object.union(change.change, {"after_unknown": marks})})

tagged(obj) := object.union(obj, {"tags": {}, "tags_all": lz_tags})

bucket(name) := tagged({"bucket": name, "force_destroy": false, "object_lock_enabled": false, "id": name, "arn": concat("", ["arn:aws:s3:::", name])})

sse(name, algorithm) := {"bucket": name, "expected_bucket_owner": "", "id": name, "rule": [{
	"apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": algorithm}],
	"bucket_key_enabled": false,
}]}

versioning(name, status) := {"bucket": name, "expected_bucket_owner": "", "id": name, "mfa": null, "versioning_configuration": [{"mfa_delete": "", "status": status}]}

pab(name) := {
	"bucket": name,
	"id": name,
	"block_public_acls": true,
	"block_public_policy": true,
	"ignore_public_acls": true,
	"restrict_public_buckets": true,
}

logging(name, target) := {"bucket": name, "expected_bucket_owner": "", "id": name, "target_bucket": target, "target_prefix": concat("", [name, "/"]), "target_grant": []}

report_plan(name) := tagged({
	"name": name,
	"description": "BACKUP_JOB_REPORT for acme-prod",
	"report_delivery_channel": [{"formats": ["CSV"], "s3_bucket_name": "acme-backup-reports-222233334444", "s3_key_prefix": "BackupJob"}],
	"report_setting": [{"report_template": "BACKUP_JOB_REPORT", "accounts": ["ROOT"], "regions": ["*"], "organization_units": [], "framework_arns": [], "number_of_frameworks": 0}],
})

trail := tagged({
	"name": "acme-prod-backup-events",
	"s3_bucket_name": "acme-backup-trail-333344445555",
	"enable_log_file_validation": true,
	"enable_logging": true,
	"is_multi_region_trail": true,
	"is_organization_trail": true,
	"kms_key_id": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
})

kms_key := tagged({
	"description": "Encrypts the reports bucket acme-backup-reports-222233334444",
	"deletion_window_in_days": 30,
	"enable_key_rotation": true,
	"is_enabled": true,
	"key_id": "1234abcd-12ab-34cd-56ef-1234567890ab",
})

workgroup(results_bucket) := tagged({
	"name": "backup-reports",
	"state": "ENABLED",
	"configuration": [{
		"enforce_workgroup_configuration": true,
		"result_configuration": [{
			"encryption_configuration": [{"encryption_option": "SSE_S3", "kms_key_arn": ""}],
			"output_location": concat("", ["s3://", results_bucket, "/"]),
		}],
	}],
})

organization(principals) := {
	"feature_set": "ALL",
	"id": "o-abc123def4",
	"aws_service_access_principals": principals,
	"enabled_policy_types": [],
}

# cdktf addresses of the example's stacks (cdktf.out/stacks/acme-prod-*/cdk.tf.json).
reports_bucket := "reports-bucket_395B9273"

reports_name := "acme-backup-reports-222233334444"

log_bucket := "access-log-bucket_B377A41D"

log_name := "acme-backup-reports-logs-222233334444"

results_name := "acme-backup-reports-222233334444-athena"

# The reporting stack as a plan that changes nothing.
unchanged_reporting := [
	noop("aws_s3_bucket", reports_bucket, bucket(reports_name)),
	noop("aws_s3_bucket", log_bucket, bucket(log_name)),
	noop("aws_s3_bucket_server_side_encryption_configuration", "reports-bucket_encryption_28330340", sse(reports_name, "AES256")),
	noop("aws_s3_bucket_versioning", "reports-bucket_versioning_189A77A6", versioning(reports_name, "Enabled")),
	noop("aws_s3_bucket_public_access_block", "reports-bucket_public-access-block_5540C419", pab(reports_name)),
	noop("aws_s3_bucket_logging", "reports-bucket_logging_142E2F1E", logging(reports_name, log_name)),
	noop("aws_backup_report_plan", "report-plans_backup_job_report_506DF34E", report_plan("acme_prod_backup_job_report")),
]

# A run: one plan of the given resource changes, no waivers.
run_of(changes) := {"today": today, "plans": [{
	"file": "cdktf.out/stacks/acme-prod-reporting/plan.json",
	"stack": "acme-prod-reporting",
	"plan": {"format_version": "1.2", "terraform_version": "1.10.5", "applyable": true, "complete": true, "errored": false, "resource_changes": changes},
}]}

with_waivers(run, ws) := object.union(run, {"waivers": [object.union(
	{"index": i, "file": "plan-waivers.yaml", "line": 3 + (7 * i), "stack": "*", "owner": "platform-team", "reason": "bucket renamed on purpose (CHG-1234)"},
	w,
) |
	some i, w in ws
]})

# The findings of one rule id in the report, whatever their status.
denied(run, id) := [f | some f in r.deny; f.id == id] if r := data.backup_audit.plan.report with input as run

warned(run, id) := [f | some f in r.warn; f.id == id] if r := data.backup_audit.plan.report with input as run
