# BAI108, BAI109: the Athena workgroup enforces its settings and encrypts query results.
# Without enforcement a client can point results at an unencrypted location; report data (account ids, resource
# ARNs) would then be written unencrypted.
package backup_audit.terraform

import rego.v1

# rule BAI108: Athena workgroups enforce their configuration
violations contains v if {
	some [stack, id, wg] in resources_of("aws_athena_workgroup")
	object.get(first_block(wg, "configuration"), "enforce_workgroup_configuration", null) != true
	v := violation(
		stack, "aws_athena_workgroup", id, "BAI108",
		sprintf("Athena workgroup %s does not set configuration.enforce_workgroup_configuration = true", [id]),
		"set configuration.enforce_workgroup_configuration to true so that clients cannot override the results location and encryption",
	)
}

encrypts_results(wg) if {
	result := first_block(first_block(wg, "configuration"), "result_configuration")
	enc := first_block(result, "encryption_configuration")
	enc.encryption_option in {"SSE_S3", "SSE_KMS", "CSE_KMS"}
}

# rule BAI109: Athena workgroups encrypt query results
violations contains v if {
	some [stack, id, wg] in resources_of("aws_athena_workgroup")
	not encrypts_results(wg)
	v := violation(
		stack, "aws_athena_workgroup", id, "BAI109",
		sprintf("Athena workgroup %s has no result_configuration.encryption_configuration", [id]),
		"set configuration.result_configuration.encryption_configuration.encryption_option (SSE_S3 or SSE_KMS)",
	)
}
