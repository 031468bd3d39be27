# BAI126: the bucket a trail writes to admits exactly that trail.
# The trail and its bucket may live in different stacks (Control Tower: management and log-archive accounts);
# CloudTrail's documented grant names the trail by aws:SourceArn, so that no other trail (of any account) can
# write into the bucket. A bucket this run does not create (an existing trail's) is not checked.
package backup_audit.terraform

import rego.v1

admits_trail(policy, trail_name) if {
	some st in statements(policy)
	object.get(st, "Effect", "Allow") == "Allow"
	"cloudtrail.amazonaws.com" in as_list(object.get(object.get(st, "Principal", {}), "Service", []))
	"s3:PutObject" in as_list(object.get(st, "Action", []))
	some c in object.get(st, "Condition", {})
	some arn in as_list(object.get(c, "aws:SourceArn", []))
	endswith(arn, concat("", [":trail/", trail_name]))
}

# rule BAI126: A trail's bucket policy admits that trail by aws:SourceArn
violations contains v if {
	some [_, _, trail] in resources_of("aws_cloudtrail")
	some [stack, id, bp] in resources_of("aws_s3_bucket_policy")
	bp.bucket == trail.s3_bucket_name
	not admits_trail(bp.policy, trail.name)
	v := violation(
		stack, "aws_s3_bucket_policy", id, "BAI126",
		sprintf("the policy of bucket %s, which trail %s writes to, does not admit cloudtrail.amazonaws.com s3:PutObject with aws:SourceArn of that trail", [bp.bucket, trail.name]),
		"add CloudTrail's write statement with the condition aws:SourceArn = the trail's ARN",
	)
}
