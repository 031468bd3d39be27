package backup_audit.terraform

import rego.v1

normaliser_env := {"REPORTS_BUCKET": "acme-reports", "NORMALIZED_PREFIX": "normalized"}

# A normaliser function, its role and one inline role policy with the given statements.
normaliser(sts) := {
	"aws_lambda_function": {"partitioner": {
		"function_name": "acme-partitioner",
		"role": "${aws_iam_role.normaliser.arn}",
		"environment": {"variables": normaliser_env},
		"dead_letter_config": {"target_arn": "${aws_sqs_queue.dlq.arn}"},
	}},
	"aws_iam_role": {"normaliser": {"name": "acme-partitioner-role"}},
	"aws_iam_role_policy": {"partitioner": {
		"role": "${aws_iam_role.normaliser.name}",
		"policy": {"Version": "2012-10-17", "Statement": sts},
	}},
}

good_statements := [
	{"Sid": "ReadRawReports", "Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::acme-reports/BackupJob/*", "arn:aws:s3:::acme-reports/org/CopyJob/*"]},
	{"Sid": "WriteNormalizedCopies", "Effect": "Allow", "Action": ["s3:PutObject", "s3:AbortMultipartUpload"], "Resource": "arn:aws:s3:::acme-reports/normalized/*"},
	{"Sid": "ReportsBucketKey", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
	{"Sid": "OwnLogGroup", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/acme-partitioner:*"},
]

ids(vs) := [v.id | some v in vs; v.id in {"BAI113", "BAI114", "BAI115", "BAI116", "BAI117", "BAI118"}]

test_bai113_bai118_least_privilege_normaliser_passes if {
	vs := violations with input as stack_with(normaliser(good_statements))
	count(ids(vs)) == 0
}

test_bai113_write_outside_the_normalised_prefix_fails if {
	vs := violations with input as stack_with(normaliser([{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-reports/BackupJob/*"}]))
	[v] := by_id(vs, "BAI113")
	v.path == "resource.aws_iam_role_policy.partitioner"
	v.message == "the report normaliser's role allows s3:putobject on arn:aws:s3:::acme-reports/BackupJob/*, outside s3://acme-reports/normalized/"
}

test_bai113_write_to_the_whole_bucket_fails if {
	vs := violations with input as stack_with(normaliser([{"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": "*"}]))
	count(by_id(vs, "BAI113")) == 1
}

test_bai114_read_bucket_wide_or_elsewhere_fails if {
	vs := violations with input as stack_with(normaliser([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": [
		"arn:aws:s3:::acme-reports/*",
		"arn:aws:s3:::other-bucket/BackupJob/*",
		"arn:aws:s3:::acme-reports/normalized/*",
		"*",
	]}]))
	count(by_id(vs, "BAI114")) == 4
}

test_bai115_other_s3_actions_fail if {
	vs := violations with input as stack_with(normaliser([{"Effect": "Allow", "Action": ["s3:DeleteObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::acme-reports/normalized/*"}]))
	count(by_id(vs, "BAI115")) == 2
}

test_bai116_kms_without_a_key_or_beyond_decrypt_fails if {
	vs := violations with input as stack_with(normaliser([
		{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"},
		{"Effect": "Allow", "Action": "kms:ReEncryptFrom", "Resource": "arn:aws:kms:us-east-1:111122223333:key/k"},
	]))
	msgs := {v.message | some v in by_id(vs, "BAI116")}
	msgs == {
		"the report normaliser's role allows kms:decrypt on *, not a key ARN",
		"the report normaliser's role allows kms:reencryptfrom (only kms:Decrypt and kms:GenerateDataKey are needed)",
	}
}

test_bai117_glue_actions_fail if {
	vs := violations with input as stack_with(normaliser([{"Effect": "Allow", "Action": ["glue:BatchCreatePartition"], "Resource": "arn:aws:glue:us-east-1:1:catalog"}]))
	[v] := by_id(vs, "BAI117")
	v.message == "the report normaliser's role allows glue:batchcreatepartition, but the report tables project their partitions"
}

test_bai113_bai117_other_functions_are_not_checked if {
	# The fixture stack's own partitioner has no NORMALIZED_PREFIX: the old Glue grant is not this rule's business.
	vs := violations with input as stack_with({})
	count(ids(vs)) == 0
}

table(serde) := {"aws_glue_catalog_table": {"backup_job_report": {
	"name": "backup_job_report",
	"storage_descriptor": {"location": "s3://acme-reports/normalized/backup_job_report/", "ser_de_info": {"serialization_library": serde}},
}}}

test_bai118_positional_csv_table_over_the_reports_bucket_fails if {
	vs := violations with input as stack_with(object.union(normaliser(good_statements), table("org.apache.hadoop.hive.serde2.OpenCSVSerde")))
	[v] := by_id(vs, "BAI118")
	v.path == "resource.aws_glue_catalog_table.backup_job_report"
}

test_bai118_json_table_passes if {
	vs := violations with input as stack_with(object.union(normaliser(good_statements), table("org.openx.data.jsonserde.JsonSerDe")))
	count(by_id(vs, "BAI118")) == 0
}

test_bai119_workgroup_without_engine_v3_fails if {
	vs := violations with input as stack_with({"aws_athena_workgroup": {"wg": {"name": "wg", "configuration": {
		"enforce_workgroup_configuration": true,
		"result_configuration": {"encryption_configuration": {"encryption_option": "SSE_S3"}},
		"engine_version": {"selected_engine_version": "AUTO"},
	}}}})
	[v] := by_id(vs, "BAI119")
	v.path == "resource.aws_athena_workgroup.wg"
}
