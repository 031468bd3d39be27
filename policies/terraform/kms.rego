# BAI120-BAI125, BAI140: customer-managed keys are rotated, carry a policy of their own, and that policy admits exactly
# the writers of what the key encrypts: the reports service-linked role for a reports bucket, CloudTrail (for
# this trail only) for a trail, a key for every SSE_KMS workgroup. A service principal without a source
# condition could be used on behalf of any account (confused deputy).
package backup_audit.terraform

import rego.v1

# The key policy of key `id` in `stack`: a separate aws_kms_key_policy, else the key's inline policy.
key_policy(stack, id) := doc if {
	some kp in object.get(object.get(input.stacks[stack], "resource", {}), "aws_kms_key_policy", {})
	refers_to(kp.key_id, "aws_kms_key", id)
	doc := kp.policy
	is_object(doc)
} else := doc if {
	doc := input.stacks[stack].resource.aws_kms_key[id].policy
	is_object(doc)
}

key_statements(stack, id) := [st |
	some st in statements(key_policy(stack, id))
	object.get(st, "Effect", "Allow") == "Allow"
]

# The logical id of the stack's aws_kms_key a reference (`${aws_kms_key.<id>.arn}`) points at.
referenced_key(stack, ref) := id if {
	some id, _ in object.get(object.get(input.stacks[stack], "resource", {}), "aws_kms_key", {})
	refers_to(ref, "aws_kms_key", id)
}

principals_of(st, kind) := as_list(object.get(object.get(st, "Principal", {}), kind, []))

grants(st, action) if action in as_list(object.get(st, "Action", []))

# rule BAI120: KMS keys rotate their key material
violations contains v if {
	some [stack, id, key] in resources_of("aws_kms_key")
	object.get(key, "enable_key_rotation", false) != true
	v := violation(
		stack, "aws_kms_key", id, "BAI120",
		sprintf("KMS key %s does not rotate its key material", [id]),
		"set enable_key_rotation = true",
	)
}

# rule BAI121: KMS keys have a policy of their own
violations contains v if {
	some [stack, id, _] in resources_of("aws_kms_key")
	not key_policy(stack, id)
	v := violation(
		stack, "aws_kms_key", id, "BAI121",
		sprintf("KMS key %s has no key policy: the default policy lets every principal of the account with IAM permissions use it", [id]),
		"give the key an aws_kms_key_policy (or policy) that grants its writers and readers only",
	)
}

# rule BAI122: Key-policy grants to a service are limited to one source
violations contains v if {
	some [stack, id, _] in resources_of("aws_kms_key")
	some st in key_statements(stack, id)
	count(principals_of(st, "Service")) > 0

	# EventBridge's requests to KMS carry neither key (BAI140 refuses them on its grants instead).
	not events_only(st)
	conditions := object.union_n([c | some c in object.get(st, "Condition", {})])
	not source_limited(conditions)
	v := violation(
		stack, "aws_kms_key", id, "BAI122",
		sprintf("KMS key %s grants %s without an aws:SourceArn or aws:SourceAccount condition (statement %s)", [id, concat(", ", principals_of(st, "Service")), object.get(st, "Sid", "without Sid")]),
		"add a condition on aws:SourceArn (e.g. the trail's ARN) or aws:SourceAccount to the statement",
	)
}

events_only(st) if {
	services := principals_of(st, "Service")
	count(services) > 0
	every s in services {
		s == "events.amazonaws.com"
	}
}

source_limited(conditions) if "aws:SourceArn" in object.keys(conditions)

source_limited(conditions) if "aws:SourceAccount" in object.keys(conditions)

# Buckets whose default encryption uses a key of the stack, and whose policy lets the reports role deliver.
reports_bucket_keys(stack, bucket) := {key_id |
	some sse in object.get(object.get(input.stacks[stack], "resource", {}), "aws_s3_bucket_server_side_encryption_configuration", {})
	sse.bucket == bucket
	some rule in blocks(object.get(sse, "rule", []))
	some d in blocks(object.get(rule, "apply_server_side_encryption_by_default", []))
	key_id := referenced_key(stack, d.kms_master_key_id)
	some bp in object.get(object.get(input.stacks[stack], "resource", {}), "aws_s3_bucket_policy", {})
	bp.bucket == bucket
	some st in statements(bp.policy)
	some p in principals_of(st, "AWS")
	contains(p, "AWSServiceRoleForBackupReports")
}

slr_granted(stack, key_id, action) if {
	some st in key_statements(stack, key_id)
	some p in principals_of(st, "AWS")
	contains(p, "AWSServiceRoleForBackupReports")
	grants(st, action)
}

# rule BAI123: The reports bucket's key lets the reports role encrypt and decrypt
violations contains v if {
	some [stack, _, bucket] in resources_of("aws_s3_bucket")
	some key_id in reports_bucket_keys(stack, bucket.bucket)
	some action in ["kms:GenerateDataKey", "kms:Decrypt"]
	not slr_granted(stack, key_id, action)
	v := violation(
		stack, "aws_kms_key", key_id, "BAI123",
		sprintf("KMS key %s encrypts the reports bucket %s but does not grant %s to AWSServiceRoleForBackupReports; report delivery would fail", [key_id, bucket.bucket, action]),
		"grant the reports service-linked role kms:GenerateDataKey and kms:Decrypt in the key policy",
	)
}

cloudtrail_granted(stack, key_id, trail_name) if {
	some st in key_statements(stack, key_id)
	"cloudtrail.amazonaws.com" in principals_of(st, "Service")
	grants(st, "kms:GenerateDataKey*")
	some c in object.get(st, "Condition", {})
	some arn in as_list(object.get(c, "aws:SourceArn", []))
	endswith(arn, concat("", [":trail/", trail_name]))
}

# rule BAI124: A trail's key lets this trail, and only by its ARN, encrypt log files
violations contains v if {
	some [stack, id, trail] in resources_of("aws_cloudtrail")
	key_id := referenced_key(stack, object.get(trail, "kms_key_id", ""))
	not cloudtrail_granted(stack, key_id, trail.name)
	v := violation(
		stack, "aws_cloudtrail", id, "BAI124",
		sprintf("trail %s encrypts with KMS key %s, whose policy does not grant cloudtrail.amazonaws.com kms:GenerateDataKey* for aws:SourceArn of this trail", [trail.name, key_id]),
		"add the CloudTrail statement (kms:GenerateDataKey*, condition aws:SourceArn = the trail's ARN) to the key policy",
	)
}

# rule BAI125: An SSE_KMS Athena workgroup names its key
violations contains v if {
	some [stack, id, wg] in resources_of("aws_athena_workgroup")
	enc := object.get(first_block(first_block(wg, "configuration"), "result_configuration"), "encryption_configuration", {})
	some e in blocks(enc)
	e.encryption_option in {"SSE_KMS", "CSE_KMS"}
	object.get(e, "kms_key_arn", "") == ""
	v := violation(
		stack, "aws_athena_workgroup", id, "BAI125",
		sprintf("Athena workgroup %s encrypts results with %s but names no kms_key_arn", [id, e.encryption_option]),
		"set result_configuration.encryption_configuration.kms_key_arn to the results key",
	)
}

# rule BAI140: Key-policy grants to EventBridge carry no aws:SourceArn or aws:SourceAccount condition
# AWS documents that EventBridge's requests to KMS (delivering to an encrypted queue, topic or bus) carry neither
# key: a statement conditioned on them never matches and every delivery is silently dropped.
violations contains v if {
	some [stack, id, _] in resources_of("aws_kms_key")
	some st in key_statements(stack, id)
	"events.amazonaws.com" in principals_of(st, "Service")
	conditions := object.union_n([c | some c in object.get(st, "Condition", {})])
	source_limited(conditions)
	v := violation(
		stack, "aws_kms_key", id, "BAI140",
		sprintf("KMS key %s grants events.amazonaws.com only with an aws:SourceArn or aws:SourceAccount condition (statement %s), which EventBridge's requests to KMS never carry: every EventBridge delivery through this key would be dropped", [id, object.get(st, "Sid", "without Sid")]),
		"give EventBridge its own statement without those conditions (limit it with kms:EncryptionContext or kms:ViaService if needed), separate from CloudWatch's or CloudTrail's",
	)
}
