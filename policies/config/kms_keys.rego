# BAI037: KMS keys named by ARN are key ARNs in the Region of what they encrypt.
# S3 default encryption (SSE-KMS) and CloudTrail need a key in the bucket's Region; Athena's results key is used
# through S3 in the workgroup's Region. An alias or a key of another Region fails at deploy time or at the
# first write.
package backup_audit.config

import rego.v1

key_uses(lz) := [u |
	some u in [
		{"field": "reports.kmsKeyArn", "arn": lz.reports.kmsKeyArn, "region": lz.reports.region},
		{"field": "analytics.kmsKeyArn", "arn": lz.analytics.kmsKeyArn, "region": lz.reports.region},
		{"field": trail_key_field(lz), "arn": object.get(lz, ["auditTrail", "kmsKeyArn"], null), "region": object.get(lz, ["auditTrail", "bucketRegion"], "")},
	]
	is_string(u.arn)
]

trail_key_field(lz) := "auditTrail.existingTrail.kmsKeyArn" if {
	lz.auditTrail.create == false
} else := "auditTrail.kmsKeyArn"

# rule BAI037: KMS keys are named by key ARN, in the Region where they are used
violations contains v if {
	some lz in input.landingZones
	some u in key_uses(lz)
	problem := key_problem(u)
	problem != ""
	v := violation(
		lz, "BAI037", u.field,
		sprintf("%s %s %s", [u.field, u.arn, problem]),
		"name the key by its key ARN (not an alias), in the Region of the bucket it encrypts, or remove the field (encryption.createKeys: true creates one)",
	)
}

key_problem(u) := "is not a KMS key ARN (arn:<partition>:kms:<Region>:<account>:key/<key id>)" if {
	not regex.match(`^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$`, u.arn)
} else := sprintf("is in Region %s, not in %s where it is used", [split(u.arn, ":")[3], u.region]) if {
	split(u.arn, ":")[3] != u.region
} else := ""
