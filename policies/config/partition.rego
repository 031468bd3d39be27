# BAI045, BAI046: everything of a landing zone lives in one AWS partition, and a KMS key in the Region of the
# bucket it encrypts. Credentials, ARNs and service principals differ between aws, aws-cn and aws-us-gov: a
# report plan in aws-cn cannot cover us-east-1, and S3 refuses a default-encryption key from another Region or
# partition (the apply fails with "KMS key ... does not exist" or an access error).
package backup_audit.config

import rego.v1

partition_of(region) := "aws-cn" if {
	startswith(region, "cn-")
} else := "aws-us-gov" if {
	startswith(region, "us-gov-")
} else := "aws"

# Regions the config names, by config path (unknown names are BAI015's; "*" is every Region of the partition).
named_regions(lz) := {field: region |
	some field, region in object.union(landing_zone_regions(lz), backend_region(lz))
	not defaulted_region(lz, field, region)
}

backend_region(lz) := {"deployment.backend.s3.region": lz.deployment.backend.s3.region} if {
	lz.deployment.backend.s3.region != lz.homeRegion
} else := {}

# Every KMS key the config names by ARN, with the bucket it encrypts (config path, what, Region, how to move it).
key_uses(lz) := [u |
	some u in [
		{"field": "reports.kmsKeyArn", "arn": lz.reports.kmsKeyArn, "what": "the reports bucket", "region": lz.reports.region, "move": "move the reports bucket with reports.region"},
		{"field": "analytics.kmsKeyArn", "arn": object.get(lz, ["analytics", "kmsKeyArn"], null), "what": "the Athena results bucket", "region": lz.reports.region, "move": "move the reports and analytics with reports.region"},
		{"field": trail_key_field(lz), "arn": object.get(lz, ["auditTrail", "kmsKeyArn"], null), "what": "the trail bucket", "region": object.get(lz, ["auditTrail", "bucketRegion"], lz.homeRegion), "move": "use the trail bucket's Region"},
	]
	is_string(u.arn)
]

trail_key_field(lz) := "auditTrail.existingTrail.kmsKeyArn" if {
	lz.auditTrail.create == false
} else := "auditTrail.kmsKeyArn"

# rule BAI045: A KMS key is in the Region and partition of the bucket it encrypts
violations contains v if {
	some lz in input.landingZones
	some u in key_uses(lz)
	parts := split(u.arn, ":")
	key_location := concat(" ", [parts[1], parts[3]])
	key_location != concat(" ", [partition_of(u.region), u.region])
	v := violation(
		lz, "BAI045", u.field,
		sprintf("the KMS key %s is in %s (partition %s) but %s is in %s (partition %s); S3 default encryption needs a key of the bucket's Region", [u.arn, parts[3], parts[1], u.what, u.region, partition_of(u.region)]),
		sprintf("use a key (or a multi-Region replica) in %s, or %s", [u.region, u.move]),
	)
}

# rule BAI046: Every Region of a landing zone is in the partition of its home Region
violations contains v if {
	some lz in input.landingZones
	some field, region in named_regions(lz)
	region in known_regions
	partition_of(region) != partition_of(lz.homeRegion)
	v := violation(
		lz, "BAI046", field,
		sprintf("%s is in partition %s but homeRegion %s is in %s: one landing zone deploys to one partition", [region, partition_of(region), lz.homeRegion, partition_of(lz.homeRegion)]),
		sprintf("use a Region of %s, or a landing zone of its own for %s", [partition_of(lz.homeRegion), partition_of(region)]),
	)
}

violations contains v if {
	some lz in input.landingZones
	some plan in lz.reports.plans
	some region in plan.scope.regions
	region in known_regions
	partition_of(region) != partition_of(lz.reports.region)
	v := violation(
		lz, "BAI046", scope_path(plan, "regions"),
		sprintf("report plan %s in %s (partition %s) cannot cover %s (partition %s)", [plan.name, lz.reports.region, partition_of(lz.reports.region), region, partition_of(region)]),
		sprintf("list Regions of %s only (or \"*\"), or report on %s from a landing zone of its own", [partition_of(lz.reports.region), partition_of(region)]),
	)
}
