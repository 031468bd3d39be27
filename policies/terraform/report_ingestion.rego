# BAI113-BAI119: the report normaliser (partitioner) Lambda has least privilege, and the tables that queries
# read are name-mapped. The normaliser is the function whose environment has NORMALIZED_PREFIX; its role may
# read report objects of REPORTS_BUCKET, write only under the normalised prefix, use a KMS key only when one
# is named, and needs no Glue permission (partitions are projected). Positional CSV tables over the reports
# bucket would silently misread reports whose columns moved (fact sheet §12).
package backup_audit.terraform

import rego.v1

# [stack, function id, env variables] of every normaliser.
normalisers contains [stack, id, env] if {
	some [stack, id, fn] in resources_of("aws_lambda_function")
	env := object.get(first_block(fn, "environment"), "variables", {})
	is_string(object.get(env, "NORMALIZED_PREFIX", null))
}

# [stack, policy id, env, statement] of every Allow statement in a normaliser role's inline role policies.
normaliser_statements contains [stack, pid, env, st] if {
	some [stack, fid, env] in normalisers
	some [rstack, rid, _] in resources_of("aws_iam_role")
	rstack == stack
	fn := input.stacks[stack].resource.aws_lambda_function[fid]
	refers_to(fn.role, "aws_iam_role", rid)
	some [pstack, pid, p] in resources_of("aws_iam_role_policy")
	pstack == stack
	refers_to(p.role, "aws_iam_role", rid)
	some st in statements(object.get(p, "policy", {}))
	object.get(st, "Effect", "Allow") == "Allow"
}

lower_actions(st) := [lower(a) | some a in as_list(object.get(st, "Action", []))]

resources(st) := as_list(object.get(st, "Resource", []))

normalized_objects(env) := concat("", [":s3:::", env.REPORTS_BUCKET, "/", env.NORMALIZED_PREFIX, "/*"])

write_resource_ok(r, env) if {
	startswith(r, "arn:")
	endswith(r, normalized_objects(env))
}

# Report objects: under a folder of the reports bucket (not the whole bucket), not the normalised copies.
read_resource_ok(r, env) if {
	startswith(r, "arn:")
	bucket_objects := concat("", [":s3:::", env.REPORTS_BUCKET, "/"])
	contains(r, bucket_objects)
	not endswith(r, concat("", [bucket_objects, "*"]))
	not endswith(r, normalized_objects(env))
	endswith(r, "/*")
}

allowed_s3_actions := {"s3:getobject", "s3:putobject", "s3:abortmultipartupload"}

allowed_kms_actions := {"kms:decrypt", "kms:generatedatakey"}

key_arn(r) if {
	startswith(r, "arn:")
	contains(r, ":kms:")
	contains(r, ":key/")
	not contains(r, "*")
}

# rule BAI113: The report normaliser writes only under the normalised prefix
violations contains v if {
	some [stack, pid, env, st] in normaliser_statements
	some a in lower_actions(st)
	startswith(a, "s3:")
	a != "s3:getobject"
	some r in resources(st)
	not write_resource_ok(r, env)
	v := violation(
		stack, "aws_iam_role_policy", pid, "BAI113",
		sprintf("the report normaliser's role allows %s on %s, outside s3://%s/%s/", [a, r, env.REPORTS_BUCKET, env.NORMALIZED_PREFIX]),
		"grant s3:PutObject and s3:AbortMultipartUpload only on arn:<partition>:s3:::<reports bucket>/<normalised prefix>/*",
	)
}

# rule BAI114: The report normaliser reads only report objects of the reports bucket
violations contains v if {
	some [stack, pid, env, st] in normaliser_statements
	"s3:getobject" in lower_actions(st)
	some r in resources(st)
	not read_resource_ok(r, env)
	v := violation(
		stack, "aws_iam_role_policy", pid, "BAI114",
		sprintf("the report normaliser's role allows s3:GetObject on %s, not a report prefix of s3://%s/", [r, env.REPORTS_BUCKET]),
		"grant s3:GetObject on arn:<partition>:s3:::<reports bucket>/<report plan prefix>/* per plan (give every plan a key prefix)",
	)
}

# rule BAI115: The report normaliser has no S3 action beyond GetObject, PutObject and AbortMultipartUpload
violations contains v if {
	some [stack, pid, _, st] in normaliser_statements
	some a in lower_actions(st)
	startswith(a, "s3:")
	not a in allowed_s3_actions
	v := violation(
		stack, "aws_iam_role_policy", pid, "BAI115",
		sprintf("the report normaliser's role allows %s, which it never needs", [a]),
		"remove the action: the normaliser only reads report objects and writes (or aborts) its normalised copies",
	)
}

# rule BAI116: The report normaliser uses KMS only on a named key, to decrypt and generate data keys
violations contains v if {
	some [stack, pid, _, st] in normaliser_statements
	some a in lower_actions(st)
	startswith(a, "kms:")
	not a in allowed_kms_actions
	v := violation(
		stack, "aws_iam_role_policy", pid, "BAI116",
		sprintf("the report normaliser's role allows %s (only kms:Decrypt and kms:GenerateDataKey are needed)", [a]),
		"grant kms:Decrypt and kms:GenerateDataKey on the reports bucket's key ARN, and only when the bucket uses one",
	)
}

violations contains v if {
	some [stack, pid, _, st] in normaliser_statements
	some a in lower_actions(st)
	startswith(a, "kms:")
	some r in resources(st)
	not key_arn(r)
	not alias_scoped(st, r)
	v := violation(
		stack, "aws_iam_role_policy", pid, "BAI116",
		sprintf("the report normaliser's role allows %s on %s, not a key ARN", [a, r]),
		"grant kms:Decrypt and kms:GenerateDataKey on the reports bucket's key ARN, and only when the bucket uses one",
	)
}

# The account's keys of one Region, narrowed to those carrying an alias (a key created in another stack, whose
# ARN is unknown to this one): `kms:ResourceAliases` names exactly one key.
alias_scoped(st, r) if {
	regex.match(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/\*$`, r)
	some c in object.get(st, "Condition", {})
	aliases := object.get(c, "kms:ResourceAliases", [])
	count(as_list(aliases)) > 0
}

# rule BAI117: The report normaliser has no Glue permission (partitions are projected)
violations contains v if {
	some [stack, pid, _, st] in normaliser_statements
	some a in lower_actions(st)
	startswith(a, "glue:")
	v := violation(
		stack, "aws_iam_role_policy", pid, "BAI117",
		sprintf("the report normaliser's role allows %s, but the report tables project their partitions", [a]),
		"remove Glue actions from the normaliser's role; the tables use partition projection on delivery_date",
	)
}

name_based_serdes := {
	"org.openx.data.jsonserde.JsonSerDe",
	"org.apache.hive.hcatalog.data.JsonSerDe",
	"org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
	"org.apache.hadoop.hive.ql.io.orc.OrcSerde",
}

# rule BAI118: Glue tables over the reports bucket read by column name, never by position
violations contains v if {
	some [stack, _, env] in normalisers
	some [tstack, tid, t] in resources_of("aws_glue_catalog_table")
	tstack == stack
	sd := first_block(t, "storage_descriptor")
	startswith(object.get(sd, "location", ""), concat("", ["s3://", env.REPORTS_BUCKET, "/"]))
	serde := object.get(first_block(sd, "ser_de_info"), "serialization_library", "")
	not serde in name_based_serdes
	v := violation(
		stack, "aws_glue_catalog_table", tid, "BAI118",
		sprintf("Glue table %s over s3://%s/ uses %s, which maps columns by position", [tid, env.REPORTS_BUCKET, serde]),
		"define the table over the normalised copies with org.openx.data.jsonserde.JsonSerDe (columns matched by name)",
	)
}

# rule BAI119: Athena workgroups pin engine version 3
violations contains v if {
	some [stack, id, wg] in resources_of("aws_athena_workgroup")
	engine := first_block(first_block(wg, "configuration"), "engine_version")
	object.get(engine, "selected_engine_version", "") != "Athena engine version 3"
	v := violation(
		stack, "aws_athena_workgroup", id, "BAI119",
		sprintf("Athena workgroup %s does not pin configuration.engine_version.selected_engine_version to Athena engine version 3", [id]),
		"set configuration.engine_version.selected_engine_version = \"Athena engine version 3\" (the named queries are Trino SQL)",
	)
}
