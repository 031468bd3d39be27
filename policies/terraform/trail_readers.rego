# BAI137: who reads the trail's log files.
# The trail bucket holds every management event of the organization (an organization trail). A bucket-policy
# grant of object reads to a whole account (its root, its id, or `*`) without a condition lets every principal
# there that IAM allows s3:GetObject read all of it, by any path. The grant must name the principals
# (aws:PrincipalArn, aws:userid) or the path (aws:CalledVia, e.g. Athena). A trail bucket is one whose policy
# admits CloudTrail's writes, or one an aws_cloudtrail of the run writes to.
package backup_audit.terraform

import rego.v1

trail_bucket_policy(bp) if {
	some st in statements(bp.policy)
	object.get(st, "Effect", "Allow") == "Allow"
	"cloudtrail.amazonaws.com" in as_list(object.get(object.get(st, "Principal", {}), "Service", []))
}

trail_bucket_policy(bp) if {
	some [_, _, trail] in resources_of("aws_cloudtrail")
	bp.bucket == trail.s3_bucket_name
}

object_read_action(a) if lower(a) in {"*", "s3:*", "s3:get*", "s3:getobject", "s3:getobject*", "s3:getobjectversion"}

reads_objects(st) if {
	some a in as_list(object.get(st, "Action", []))
	object_read_action(a)
}

# A principal that stands for a whole account (or everyone).
account_wide("*")

account_wide(p) if regex.match(`^arn:aws[a-z-]*:iam::[0-9]{12}:root$`, p)

account_wide(p) if regex.match(`^[0-9]{12}$`, p)

account_wide_principals(st) := [p | some p in as_list(st.Principal)] if {
	is_string(st.Principal)
} else := [p | some p in as_list(object.get(object.get(st, "Principal", {}), "AWS", [])); account_wide(p)]

# Condition keys that narrow a grant to named principals or to a service path.
narrowing_keys := {"aws:principalarn", "aws:userid", "aws:calledvia", "aws:calledviafirst", "aws:calledvialast"}

narrowed(st) if {
	some pairs in object.get(st, "Condition", {})
	some key, _ in pairs
	lower(key) in narrowing_keys
}

# rule BAI137: Trail buckets grant no account-wide read of the log files without a condition naming principals or the path
violations contains v if {
	some [stack, id, bp] in resources_of("aws_s3_bucket_policy")
	is_object(bp.policy)
	trail_bucket_policy(bp)
	some st in statements(bp.policy)
	object.get(st, "Effect", "Allow") == "Allow"
	reads_objects(st)
	principals := account_wide_principals(st)
	count(principals) > 0
	not narrowed(st)
	v := violation(
		stack, "aws_s3_bucket_policy", id, "BAI137",
		sprintf(
			"the policy of trail bucket %s lets %s read the trail's log files (statement %s) without a condition: every principal there that IAM allows s3:GetObject reads every management event of the organization",
			[bp.bucket, concat(", ", sort(principals)), object.get(st, "Sid", "without Sid")],
		),
		"narrow the grant with aws:PrincipalArn (the roles that query the trail: auditTrail.readerRoleArns) or with aws:CalledVia athena.amazonaws.com (reads through Athena only)",
	)
}
