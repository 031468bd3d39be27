# BAI110: the CloudTrail trail records every Region and validates its log files.
# AWS Backup service events happen in every Region the organization backs up; a single-Region trail misses
# them, and without log-file validation nobody can prove the audit log was not altered (Security Hub
# CloudTrail.1 and CloudTrail.4).
package backup_audit.terraform

import rego.v1

# rule BAI110: CloudTrail trails are multi-Region and validate log files
violations contains v if {
	some [stack, id, trail] in resources_of("aws_cloudtrail")
	some attr in ["is_multi_region_trail", "enable_log_file_validation"]
	object.get(trail, attr, false) != true
	v := violation(
		stack, "aws_cloudtrail", id, "BAI110",
		sprintf("CloudTrail trail %s does not set %s = true", [id, attr]),
		"set is_multi_region_trail and enable_log_file_validation to true",
	)
}
