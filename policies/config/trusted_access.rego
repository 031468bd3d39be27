# BAI002: trusted access for AWS Backup is enabled in the organization.
# Cross-account monitoring in AWS Backup is Organizations trusted access for backup.amazonaws.com (fact sheet §5);
# without it the organization stack's plan-time precondition fails and organization reports stay empty.
package backup_audit.config

import rego.v1

backup_trusted_access(lz) if "backup.amazonaws.com" in lz.organization.trustedAccess

backup_trusted_access(lz) if lz.organization.manageTrustedAccess == true

# rule BAI002: Trusted access for AWS Backup is enabled in the organization
violations contains v if {
	some lz in input.landingZones
	not backup_trusted_access(lz)
	v := violation(
		lz, "BAI002", "organization.trustedAccess",
		"trusted access for backup.amazonaws.com is neither declared in organization.trustedAccess nor managed (organization.manageTrustedAccess is false)",
		"enable cross-account monitoring in the AWS Backup console (or `aws organizations enable-aws-service-access --service-principal backup.amazonaws.com`) and add backup.amazonaws.com to organization.trustedAccess, or set organization.manageTrustedAccess: true",
	)
}

# BAI023: an organization trail needs trusted access for CloudTrail.
# CreateTrail with IsOrganizationTrail fails unless cloudtrail.amazonaws.com is a trusted service of the
# organization; the organization stack asserts it at plan time, this rule says so before synth.
cloudtrail_trusted_access(lz) if "cloudtrail.amazonaws.com" in lz.organization.trustedAccess

cloudtrail_trusted_access(lz) if lz.organization.manageTrustedAccess == true

# rule BAI023: An organization trail has trusted access for CloudTrail
violations contains v if {
	some lz in input.landingZones
	lz.auditTrail.create == true
	lz.auditTrail.organizationTrail == true
	not cloudtrail_trusted_access(lz)
	v := violation(
		lz, "BAI023", "organization.trustedAccess",
		"auditTrail.organizationTrail is true but trusted access for cloudtrail.amazonaws.com is neither declared in organization.trustedAccess nor managed (organization.manageTrustedAccess is false)",
		"enable trusted access for CloudTrail (`aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com`) and add cloudtrail.amazonaws.com to organization.trustedAccess, set organization.manageTrustedAccess: true, or set auditTrail.organizationTrail: false",
	)
}
