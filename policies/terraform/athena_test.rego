package backup_audit.terraform

import rego.v1

workgroup(configuration) := {"aws_athena_workgroup": {"wg": {"name": "wg", "configuration": configuration}}}

test_bai108_workgroup_not_enforced_fails if {
	vs := violations with input as stack_with(workgroup({
		"enforce_workgroup_configuration": false,
		"result_configuration": {"encryption_configuration": {"encryption_option": "SSE_S3"}},
	}))
	[v] := by_id(vs, "BAI108")
	v.path == "resource.aws_athena_workgroup.wg"
	count(by_id(vs, "BAI109")) == 0
}

test_bai109_unencrypted_results_fail if {
	vs := violations with input as stack_with(workgroup({
		"enforce_workgroup_configuration": true,
		"result_configuration": {"output_location": "s3://x/"},
	}))
	[v] := by_id(vs, "BAI109")
	v.message == "Athena workgroup wg has no result_configuration.encryption_configuration"
	count(by_id(vs, "BAI108")) == 0
}

test_bai108_bai109_enforced_and_encrypted_passes if {
	vs := violations with input as stack_with({})
	count(by_id(vs, "BAI108")) + count(by_id(vs, "BAI109")) == 0
}
