package backup_audit.terraform

import rego.v1

slr := "arn:aws:iam::111122223333:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports"

trail_arn := "arn:aws:cloudtrail:us-east-1:111122223333:trail/acme-events"

key_policy_doc(sts) := {"Version": "2012-10-17", "Statement": sts}

slr_statement := {"Sid": "BackupReportsDelivery", "Effect": "Allow", "Principal": {"AWS": slr}, "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*"}

trail_statement := {
	"Sid": "CloudTrailEncrypt", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
	"Action": "kms:GenerateDataKey*", "Resource": "*",
	"Condition": {"StringEquals": {"aws:SourceArn": trail_arn}},
}

# A stack with a rotating key, its policy, a bucket encrypted with it that the reports role writes to, and a trail.
kms_stack(key, sts) := {"stacks": {"s": {"resource": {
	"aws_kms_key": {"k": key},
	"aws_kms_key_policy": {"kp": {"key_id": "${aws_kms_key.k.key_id}", "policy": key_policy_doc(sts)}},
	"aws_s3_bucket": {"b": {"bucket": "acme-reports"}},
	"aws_s3_bucket_server_side_encryption_configuration": {"e": {
		"bucket": "acme-reports",
		"rule": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": "${aws_kms_key.k.arn}"}}],
	}},
	"aws_s3_bucket_public_access_block": {"p": pab("acme-reports")},
	"aws_s3_bucket_logging": {"l": {"bucket": "acme-reports", "target_bucket": "acme-logs"}},
	"aws_s3_bucket_policy": {"bp": {"bucket": "acme-reports", "policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": slr}, "Action": "s3:PutObject", "Resource": "*"}]}}},
	"aws_cloudtrail": {"t": {"name": "acme-events", "is_multi_region_trail": true, "enable_log_file_validation": true, "kms_key_id": "${aws_kms_key.k.arn}"}},
}}}}

rotating := {"enable_key_rotation": true}

test_kms_wired_key_passes if {
	vs := violations with input as kms_stack(rotating, [slr_statement, trail_statement])
	count(vs) == 0
}

test_bai120_no_rotation_fails if {
	vs := violations with input as kms_stack({}, [slr_statement, trail_statement])
	[v] := by_id(vs, "BAI120")
	v.path == "resource.aws_kms_key.k"
	count(vs) == 1
}

test_bai121_no_policy_fails if {
	doc := kms_stack(rotating, [])
	no_policy := {"stacks": {"s": {"resource": object.remove(doc.stacks.s.resource, ["aws_kms_key_policy"])}}}
	vs := violations with input as no_policy
	[v] := by_id(vs, "BAI121")
	contains(v.message, "has no key policy")
}

test_bai122_service_without_source_fails if {
	unbound := object.remove(trail_statement, ["Condition"])
	vs := violations with input as kms_stack(rotating, [slr_statement, unbound])
	[v] := by_id(vs, "BAI122")
	v.message == "KMS key k grants cloudtrail.amazonaws.com without an aws:SourceArn or aws:SourceAccount condition (statement CloudTrailEncrypt)"
}

test_bai123_reports_key_without_decrypt_fails if {
	encrypt_only := object.union(slr_statement, {"Action": "kms:GenerateDataKey"})
	vs := violations with input as kms_stack(rotating, [encrypt_only, trail_statement])
	[v] := by_id(vs, "BAI123")
	v.message == "KMS key k encrypts the reports bucket acme-reports but does not grant kms:Decrypt to AWSServiceRoleForBackupReports; report delivery would fail"
	count(vs) == 1
}

test_bai124_trail_key_for_another_trail_fails if {
	other := object.union(trail_statement, {"Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/other"}}})
	vs := violations with input as kms_stack(rotating, [slr_statement, other])
	[v] := by_id(vs, "BAI124")
	v.path == "resource.aws_cloudtrail.t"
	count(vs) == 1
}

test_bai125_kms_workgroup_without_key_fails if {
	wg := {"name": "w", "configuration": {"enforce_workgroup_configuration": true, "result_configuration": {"output_location": "s3://r/", "encryption_configuration": {"encryption_option": "SSE_KMS"}}}}
	vs := violations with input as {"stacks": {"s": {"resource": {"aws_athena_workgroup": {"wg": wg}}}}}
	[v] := by_id(vs, "BAI125")
	v.message == "Athena workgroup wg encrypts results with SSE_KMS but names no kms_key_arn"
}

test_bai121_inline_policy_passes if {
	key := {"enable_key_rotation": true, "policy": key_policy_doc([])}
	vs := violations with input as {"stacks": {"s": {"resource": {"aws_kms_key": {"k": key}}}}}
	count(vs) == 0
}

test_bai122_source_account_passes if {
	by_account := object.union(object.remove(trail_statement, ["Condition"]), {"Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}})
	vs := violations with input as kms_stack(rotating, [slr_statement, trail_statement, by_account])
	count(by_id(vs, "BAI122")) == 0
}

events_statement(condition) := object.union(
	{"Sid": "EventBridgeDeliver", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"},
	condition,
)

test_bai140_events_grant_without_source_condition_passes if {
	vs := violations with input as kms_stack(rotating, [slr_statement, trail_statement, events_statement({})])
	count(by_id(vs, "BAI140")) == 0

	# Nor is it refused by BAI122, which EventBridge could never satisfy.
	count(by_id(vs, "BAI122")) == 0
}

test_bai140_events_grant_with_source_arn_fails if {
	cond := {"Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:events:us-east-1:111122223333:rule/acme/r"}}}
	vs := violations with input as kms_stack(rotating, [slr_statement, trail_statement, events_statement(cond)])
	[v] := by_id(vs, "BAI140")
	v.path == "resource.aws_kms_key.k"
	startswith(v.message, "KMS key k grants events.amazonaws.com only with an aws:SourceArn or aws:SourceAccount condition (statement EventBridgeDeliver)")
}

test_bai140_events_grant_with_source_account_fails if {
	cond := {"Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}
	vs := violations with input as kms_stack(rotating, [slr_statement, trail_statement, events_statement(cond)])
	count(by_id(vs, "BAI140")) == 1
}

test_bai122_mixed_events_and_other_service_still_needs_source if {
	st := object.union(events_statement({}), {"Principal": {"Service": ["events.amazonaws.com", "sns.amazonaws.com"]}})
	vs := violations with input as kms_stack(rotating, [slr_statement, trail_statement, st])
	count(by_id(vs, "BAI122")) == 1
}
