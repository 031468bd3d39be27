package backup_audit.config

import rego.v1

test_bai035_trail_without_bucket_name_fails if {
	vs := violations with input as one(lz_with_trail({"bucketName": null}))
	[v] := of_id(vs, "BAI035")
	v.path == "auditTrail.bucketName"
	v.message == "auditTrail creates a trail but sets no bucketName"
}

test_bai035_existing_trail_needs_no_names if {
	vs := violations with input as one(lz_with_trail({"create": false, "accessLogBucketName": null}))
	count(of_id(vs, "BAI035")) == 0
}

test_bai036_fields_beside_existing_trail_fail if {
	vs := violations with input as one(lz_with_trail({"create": false, "ignoredFields": ["auditTrail.bucketName", "auditTrail.kmsKeyArn"]}))
	[a, b] := of_id(vs, "BAI036")
	{a.path, b.path} == {"auditTrail.bucketName", "auditTrail.kmsKeyArn"}
	contains(a.message, "auditTrail.existingTrail names an existing trail")
}
