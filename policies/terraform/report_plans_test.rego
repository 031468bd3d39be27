package backup_audit.terraform

import rego.v1

plan_with(formats, setting) := {"aws_backup_report_plan": {"p": {
	"name": "p",
	"report_delivery_channel": {"formats": formats, "s3_bucket_name": "acme-reports"},
	"report_setting": setting,
}}}

test_bai105_organization_plan_with_json_fails if {
	vs := violations with input as stack_with(plan_with(["CSV", "JSON"], {"report_template": "BACKUP_JOB_REPORT", "organization_units": ["ou-ab12-cd34ef56"]}))
	[v] := by_id(vs, "BAI105")
	v.path == "resource.aws_backup_report_plan.p"
}

test_bai105_multi_region_plan_with_json_fails if {
	vs := violations with input as stack_with(plan_with(["JSON"], {"report_template": "BACKUP_JOB_REPORT", "regions": ["us-east-1", "eu-west-1"]}))
	count(by_id(vs, "BAI105")) == 1
}

test_bai105_single_account_plan_with_json_passes if {
	vs := violations with input as stack_with(plan_with(["JSON"], {"report_template": "BACKUP_JOB_REPORT", "regions": ["us-east-1"]}))
	count(by_id(vs, "BAI105")) == 0
}

# Two report_setting blocks (not valid Terraform, but the policy must not fail): the first one counts.
test_bai105_several_blocks_use_the_first if {
	plan := {"aws_backup_report_plan": {"p": {
		"name": "p",
		"report_delivery_channel": [{"formats": ["JSON"]}, {"formats": ["CSV"]}],
		"report_setting": [{"regions": ["*"]}, {"regions": ["us-east-1"]}],
	}}}
	vs := violations with input as stack_with(plan)
	count(by_id(vs, "BAI105")) == 1
}

test_bai105_malformed_blocks_do_not_fail if {
	vs := violations with input as stack_with({"aws_backup_report_plan": {"p": {"report_setting": [false, "*"]}}})
	count(by_id(vs, "BAI105")) == 0
}
