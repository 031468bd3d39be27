# BAI210-BAI215: an update never switches off what protects the audit evidence: encryption, versioning, the
# public access block and access logging of the buckets that hold it, and log-file validation, logging and
# encryption of the trail. A protection counts as switched off when it was on before the plan and after the plan
# it is off, gone, or unknown (known only after apply: fail closed, see common.rego).
#
# Buckets: every aws_s3_bucket except an Athena workgroup's results bucket, whose protections the post-synth
# rules check. Each protection is a resource of its own naming the bucket by its literal name (`bucket`).
# Destroying one switches the protection off in S3 (the provider calls DeleteBucketEncryption,
# PutBucketVersioning Suspended, DeletePublicAccessBlock, PutBucketLogging without a target), whatever another
# resource of the plan creates, since Terraform does not order two addresses against each other; a
# create-before-destroy replacement ends with the old object's destroy, so it switches the protection off too.
# A bucket the plan deletes is reported once, by BAI201.
package backup_audit.plan

import rego.v1

# One protection of a bucket: [rule id, resource type, what it protects].
bucket_protections := [
	["BAI210", "aws_s3_bucket_server_side_encryption_configuration", "default encryption"],
	["BAI211", "aws_s3_bucket_versioning", "versioning"],
	["BAI212", "aws_s3_bucket_public_access_block", "public access block"],
	["BAI214", "aws_s3_bucket_logging", "server access logging"],
]

public_access_settings := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

# rule BAI210: Updates do not switch off encryption of the audit buckets or the trail
# rule BAI211: Updates do not switch off versioning of the audit buckets
# rule BAI212: Updates do not switch off the public access block of the audit buckets
# rule BAI214: Updates do not switch off server access logging of the audit buckets
deny contains f if {
	some [id, type, what] in bucket_protections
	some c in changes_of(type)
	changes_object(c.rc)
	bucket := before(c.rc).bucket
	is_string(bucket)
	not results_bucket(c.plan, bucket)
	not bucket_removed(c.plan, bucket)
	off := sort([setting |
		some setting in protected_settings(type, before(c.rc))
		not stays_on(c.rc, type, bucket, setting)
	])
	count(off) > 0
	f := finding(
		c, id,
		sprintf("the plan %s %s of S3 bucket %s%s%s", [switch_phrase(c.rc), setting_label(what, off), old_name(c.rc, "bucket"), reason_phrase(c.rc), why_not_on(c.rc, type, off)]),
		sprintf("keep the bucket's %s resource as it is (SecureBucket sets it); if switching it off is intended, add a waiver", [type]),
	)
}

# The settings a protection resource had on before the plan (one for each kind, four for the public access block).
protected_settings("aws_s3_bucket_server_side_encryption_configuration", obj) := {"encryption"} if encrypts(obj)

protected_settings("aws_s3_bucket_versioning", obj) := {"versioning"} if versions(obj)

protected_settings("aws_s3_bucket_public_access_block", obj) := {s | some s in public_access_settings; obj[s] == true}

protected_settings("aws_s3_bucket_logging", obj) := {"logging"} if logs(obj)

encrypts(obj) if {
	some rule in blocks(object.get(obj, "rule", []))
	some sse in blocks(object.get(rule, "apply_server_side_encryption_by_default", []))
	is_string(sse.sse_algorithm)
	sse.sse_algorithm != ""
}

versions(obj) if {
	some conf in blocks(object.get(obj, "versioning_configuration", []))
	conf.status == "Enabled"
}

logs(obj) if {
	is_string(obj.target_bucket)
	obj.target_bucket != ""
}

# An update, a deletion or a replacement (not a create, whose settings the post-synth rules check).
changes_object(rc) if "update" in rc.change.actions

changes_object(rc) if removes(rc)

# After the plan the same resource still protects the same bucket with the setting on, as known values.
stays_on(rc, type, bucket, setting) if {
	keeps_object(rc)
	not deletes_last(rc)
	after(rc).bucket == bucket
	on_after(type, after(rc), setting)
}

on_after("aws_s3_bucket_server_side_encryption_configuration", obj, _) if encrypts(obj)

on_after("aws_s3_bucket_versioning", obj, _) if versions(obj)

on_after("aws_s3_bucket_public_access_block", obj, setting) if obj[setting] == true

on_after("aws_s3_bucket_logging", obj, _) if logs(obj)

setting_label("public access block", settings) := concat("", [concat(", ", settings), " of the public access block"])

setting_label(what, _) := what if what != "public access block"

switch_phrase(rc) := "switches off" if {
	keeps_object(rc)
	not deletes_last(rc)
} else := concat("", [change_phrase(rc), " the resource that holds, and so switches off,"])

# Why the setting is not on after the plan, when the plan cannot tell: the value is known only after apply.
why_not_on(rc, type, settings) := ": the value is known only after apply, so the plan cannot show it stays on" if {
	keeps_object(rc)
	not deletes_last(rc)
	some setting in settings
	some path in setting_paths(type, after(rc), setting)
	unknown_at(rc, path)
} else := ""

setting_paths("aws_s3_bucket_server_side_encryption_configuration", obj, _) := array.concat(
	[["bucket"], ["rule"]],
	[["rule", i, "apply_server_side_encryption_by_default", j, "sse_algorithm"] |
		some i, rule in blocks(object.get(obj, "rule", []))
		some j, _ in blocks(object.get(rule, "apply_server_side_encryption_by_default", []))
	],
)

setting_paths("aws_s3_bucket_versioning", obj, _) := array.concat(
	[["bucket"], ["versioning_configuration"]],
	[["versioning_configuration", i, "status"] | some i, _ in blocks(object.get(obj, "versioning_configuration", []))],
)

setting_paths("aws_s3_bucket_public_access_block", _, setting) := [["bucket"], [setting]]

setting_paths("aws_s3_bucket_logging", _, _) := [["bucket"], ["target_bucket"]]

# The trail's own protections, on an update or the new object of a replacement (the replacement itself is BAI203).
# rule BAI213: Updates do not switch off log-file validation of the trail
deny contains f if {
	some c in trail_updates
	before(c.rc).enable_log_file_validation == true
	not after(c.rc).enable_log_file_validation == true
	f := trail_finding(c, "BAI213", "enable_log_file_validation", "log-file validation (the digest files that prove the logs were not changed)")
}

# rule BAI215: Updates do not stop the trail's logging
deny contains f if {
	some c in trail_updates
	object.get(before(c.rc), "enable_logging", true) == true
	not object.get(after(c.rc), "enable_logging", true) == true
	f := trail_finding(c, "BAI215", "enable_logging", "logging (the trail stops recording AWS Backup's API calls)")
}

deny contains f if {
	some c in trail_updates
	is_string(before(c.rc).kms_key_id)
	before(c.rc).kms_key_id != ""
	not trail_encrypted_after(c.rc)
	f := trail_finding(c, "BAI210", "kms_key_id", "encryption with its KMS key (SSE-KMS of the log files)")
}

trail_updates := [c |
	some c in changes_of("aws_cloudtrail")
	keeps_object(c.rc)
	c.rc.change.actions != ["create"]
]

trail_encrypted_after(rc) if {
	is_string(after(rc).kms_key_id)
	after(rc).kms_key_id != ""
}

trail_finding(c, id, attribute, what) := finding(
	c, id,
	sprintf("the plan switches off %s of CloudTrail trail %s%s", [what, old_name(c.rc, "name"), unknown_note(c.rc, [attribute])]),
	sprintf("keep %s of the trail as it is (BackupTrail sets it); if switching it off is intended, add a waiver", [attribute]),
)
