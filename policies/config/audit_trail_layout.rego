# BAI035, BAI036: the audit trail is either created here (trail and bucket names given) or an existing trail's
# bucket is named (`auditTrail.existingTrail`, e.g. Control Tower's organization trail), never half of each.
package backup_audit.config

import rego.v1

# rule BAI035: A trail created here names its bucket and the bucket's access-log bucket
violations contains v if {
	some lz in input.landingZones
	lz.auditTrail.create == true
	some field in ["bucketName", "accessLogBucketName"]
	lz.auditTrail[field] == null
	v := violation(
		lz, "BAI035", concat(".", ["auditTrail", field]),
		sprintf("auditTrail creates a trail but sets no %s", [field]),
		"set auditTrail.bucketName and auditTrail.accessLogBucketName, or name the bucket of an existing organization trail under auditTrail.existingTrail",
	)
}

# rule BAI036: Beside an existing trail, auditTrail sets no fields of a trail created here
violations contains v if {
	some lz in input.landingZones
	lz.auditTrail.create == false
	some field in lz.auditTrail.ignoredFields
	v := violation(
		lz, "BAI036", field,
		sprintf("%s is set, but auditTrail.existingTrail names an existing trail, so no trail or bucket is created and %s would be ignored", [field, field]),
		"remove the field (describe the existing trail's bucket under auditTrail.existingTrail), or remove auditTrail.existingTrail to create a trail",
	)
}
