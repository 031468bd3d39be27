package backup_audit.terraform

import rego.v1

# The template rules only: a stack of exactly these resources (the shared fixtures refer to resources they omit).
tpl_stack(resources) := {"stacks": {"acme-prod-reporting": {"resource": resources}}}

glue_table(location_template) := {"aws_glue_catalog_table": {"trail": {
	"name": "cloudtrail_logs",
	"parameters": {"storage.location.template": location_template},
}}}

test_bai136_unescaped_projection_template_fails if {
	vs := violations with input as tpl_stack(glue_table("s3://b/AWSLogs/o-abc123def4/${account}/CloudTrail/${region}/$${timestamp}"))
	found := by_id(vs, "BAI136")
	count(found) == 2
	some v in found
	v.path == "resource.aws_glue_catalog_table.trail.parameters.storage.location.template"
	v.file == "stacks/acme-prod-reporting/cdk.tf.json"
	v.message == concat("", [
		"stack acme-prod-reporting, aws_glue_catalog_table.trail, attribute parameters.storage.location.template: ",
		"\"${account}\" is not a Terraform expression that resolves in this stack (Terraform reads every JSON string ",
		"as a template: \"Invalid reference\" at plan)",
	])
	contains(v.fix, "$${")
}

test_bai136_escaped_template_passes if {
	vs := violations with input as tpl_stack(glue_table("s3://b/AWSLogs/$${account}/CloudTrail/$${region}/$${timestamp}"))
	count(by_id(vs, "BAI136")) == 0
}

test_bai136_reference_to_a_resource_of_the_stack_passes if {
	over := object.union(glue_table("${aws_s3_bucket.logs.bucket}/x"), {"aws_s3_bucket": {"logs": {"bucket": "l"}}})
	vs := violations with input as tpl_stack(over)
	count(by_id(vs, "BAI136")) == 0
}

test_bai136_reference_to_a_resource_of_another_stack_fails if {
	vs := violations with input as tpl_stack(glue_table("${aws_s3_bucket.elsewhere_x.bucket}/x"))
	[v] := by_id(vs, "BAI136")
	contains(v.message, "\"${aws_s3_bucket.elsewhere_x.bucket}\" is not a Terraform expression")
}

test_bai136_variables_locals_data_and_functions if {
	doc := {
		"variable": {"home": {"type": "string"}},
		"locals": {"prefix": "p"},
		"data": {"aws_caller_identity": {"me": {}}},
		"resource": {"aws_glue_catalog_table": {"t": {"parameters": {
			"a": "${var.home}",
			"b": "${local.prefix}-${data.aws_caller_identity.me.account_id}",
			"c": "${jsonencode({\"k\" = 1})}",
			"d": "${provider::aws::arn_parse(\"x\")}",
			"e": "${var.missing}",
			"f": "${local.missing}",
			"g": "${data.aws_caller_identity.other.account_id}",
			"h": "${ 1 + 2 }",
		}}}},
	}
	vs := violations with input as {"stacks": {"s": doc}}
	paths := {v.path | some v in by_id(vs, "BAI136")}
	paths == {
		"resource.aws_glue_catalog_table.t.parameters.e",
		"resource.aws_glue_catalog_table.t.parameters.f",
		"resource.aws_glue_catalog_table.t.parameters.g",
	}
}

test_bai136_parsed_policy_documents_and_outputs_are_read if {
	doc := {
		"resource": {"aws_s3_bucket_policy": {"p": {"policy": {"Statement": [{"Resource": "arn:aws:s3:::b/${aws:username}/*"}]}}}},
		"output": {"o": {"value": "${region}"}},
	}
	vs := violations with input as {"stacks": {"s": doc}}
	paths := {v.path | some v in by_id(vs, "BAI136")}
	paths == {"resource.aws_s3_bucket_policy.p.policy.Statement.0.Resource", "output.o.value"}
}

test_bai136_directive_fails_and_its_escape_passes if {
	vs := violations with input as tpl_stack(glue_table("%{ if true }x%{ endif } and 100%%{literal}"))
	[v] := by_id(vs, "BAI136")
	contains(v.message, "\"%{\" starts a Terraform template directive")
	vs2 := violations with input as tpl_stack(glue_table("100%%{literal} and $${x}"))
	count(by_id(vs2, "BAI136")) == 0
}
