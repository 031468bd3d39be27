package backup_audit.config

import rego.v1

key_arn(region) := sprintf("arn:aws:kms:%s:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", [region])

test_bai045_key_of_the_bucket_region_passes if {
	vs := violations with input as one(lz_with_reports({"kmsKeyArn": key_arn("us-east-1")}))
	count(vs) == 0
}

test_bai045_key_of_another_region_fails if {
	vs := violations with input as one(lz_with_reports({"kmsKeyArn": key_arn("eu-west-1")}))
	[v] := of_id(vs, "BAI045")
	v.path == "reports.kmsKeyArn"
	v.message == "the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab is in eu-west-1 (partition aws) but the reports bucket is in us-east-1 (partition aws); S3 default encryption needs a key of the bucket's Region"
	count(vs) == 1
}

test_bai045_key_of_another_partition_fails if {
	arn := "arn:aws-cn:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	vs := violations with input as one(lz_with_reports({"kmsKeyArn": arn}))
	[v] := of_id(vs, "BAI045")
	contains(v.message, "(partition aws-cn)")
}

test_bai046_reports_region_in_another_partition_fails if {
	vs := violations with input as one(lz_with_reports({"region": "cn-north-1"}))
	[v] := of_id(vs, "BAI046")
	v.path == "reports.region"
	v.message == "cn-north-1 is in partition aws-cn but homeRegion us-east-1 is in aws: one landing zone deploys to one partition"
}

test_bai046_plan_scope_region_in_another_partition_fails if {
	scope := {"accounts": ["ROOT"], "organizationalUnits": [], "regions": ["us-east-1", "us-gov-west-1"]}
	vs := violations with input as one(lz_with_plan(0, {"scope": scope}))
	[v] := of_id(vs, "BAI046")
	v.path == "reports.scope.regions"
	v.message == "report plan acme_prod_backup_job_report in us-east-1 (partition aws) cannot cover us-gov-west-1 (partition aws-us-gov)"
}

test_bai046_backend_in_another_partition_fails if {
	backend := {"s3": {"bucket": "state", "keyPrefix": "p", "region": "us-gov-east-1", "dynamodbTable": null}}
	vs := violations with input as one(lz_with({"deployment": {"roleName": "r", "backend": backend}}))
	[v] := of_id(vs, "BAI046")
	v.path == "deployment.backend.s3.region"
}

test_bai046_one_partition_passes if {
	backend := {"s3": {"bucket": "state", "keyPrefix": "p", "region": "us-west-2", "dynamodbTable": null}}
	lz := merge(lz_with_reports({"region": "eu-west-1"}), {"deployment": {"roleName": "r", "backend": backend}})
	vs := violations with input as one(lz)
	count(of_id(vs, "BAI046")) == 0
}

test_bai046_govcloud_landing_zone_passes if {
	lz := merge(lz_with_reports({"region": "us-gov-west-1"}), {"homeRegion": "us-gov-east-1"})
	vs := violations with input as one(lz)
	count(of_id(vs, "BAI046")) == 0
}
