# BAI024: every bucket name the landing zone creates is a valid S3 bucket name.
# S3 rejects a name at CreateBucket, i.e. mid-deploy, after other stacks have been applied. The rule checks every
# name in `lz.buckets`, including derived ones: the Athena results bucket defaults to `<reports bucket>-athena`,
# which exceeds 63 characters when the reports bucket name has 57 or more. Rules (S3 general purpose buckets):
# 3-63 characters; lower-case letters, digits, dots and hyphens; first and last a letter or digit; no two
# adjacent dots; not formatted like an IP address.
package backup_audit.config

import rego.v1

bucket_name_length_problem(name) := sprintf("has %d characters (at least 3)", [count(name)]) if {
	count(name) < 3
} else := sprintf("has %d characters (at most 63)", [count(name)]) if {
	count(name) > 63
} else := ""

bucket_name_charset_problem(name) := "" if {
	regex.match(`^[a-z0-9][a-z0-9.-]*[a-z0-9]$`, name)
} else := "must contain only lower-case letters, digits, dots and hyphens, and start and end with a letter or digit"

bucket_name_dots_problem(name) := "has two adjacent dots" if {
	contains(name, "..")
} else := ""

bucket_name_ip_problem(name) := "is formatted like an IP address" if {
	regex.match(`^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$`, name)
} else := ""

bucket_name_problems(name) := [p |
	some p in [
		bucket_name_length_problem(name),
		bucket_name_charset_problem(name),
		bucket_name_dots_problem(name),
		bucket_name_ip_problem(name),
	]
	p != ""
]

# The Athena results bucket whose name was derived from the reports bucket (no analytics.resultsBucketName).
derived_name(lz, b) if {
	b.role == "athenaResults"
	b.name == concat("", [lz.reports.bucketName, "-athena"])
}

# Older normalisation cut the derived name to 63 characters (which could leave a trailing hyphen).
derived_name(lz, b) if {
	b.role == "athenaResults"
	full := concat("", [lz.reports.bucketName, "-athena"])
	count(full) > 63
	b.name == substring(full, 0, 63)
}

bucket_name_origin(lz, b) := " (derived from reports.bucketName + \"-athena\")" if {
	derived_name(lz, b)
} else := ""

bucket_name_fix(lz, b) := "set analytics.resultsBucketName explicitly to a valid bucket name of at most 63 characters (the default <reports.bucketName>-athena is not one)" if {
	derived_name(lz, b)
} else := "rename the bucket: 3-63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, no '..', not an IP address"

# rule BAI024: Bucket names are valid S3 bucket names
violations contains v if {
	some lz in input.landingZones
	some b in lz.buckets
	problems := bucket_name_problems(b.name)
	count(problems) > 0
	v := violation(
		lz, "BAI024", b.fieldPath,
		sprintf("%s bucket name \"%s\"%s is not a valid S3 bucket name: it %s", [b.role, b.name, bucket_name_origin(lz, b), concat("; it ", problems)]),
		bucket_name_fix(lz, b),
	)
}
