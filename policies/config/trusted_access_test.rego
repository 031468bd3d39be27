package backup_audit.config

import rego.v1

no_trusted_access := {"trustedAccess": ["config.amazonaws.com"], "manageTrustedAccess": false, "delegatedAdminAccountId": null, "globalSettings": null}

test_bai002_missing_trusted_access_fails if {
	vs := violations with input as one(lz_with({"organization": no_trusted_access}))
	[v] := of_id(vs, "BAI002")
	v.path == "organization.trustedAccess"
	contains(v.message, "backup.amazonaws.com")
}

test_bai002_managed_trusted_access_passes if {
	vs := violations with input as one(lz_with({"organization": merge(no_trusted_access, {"manageTrustedAccess": true})}))
	count(of_id(vs, "BAI002")) == 0
}

test_bai002_declared_trusted_access_passes if {
	vs := violations with input as one(fixture_lz)
	count(of_id(vs, "BAI002")) == 0
}

backup_only := {"trustedAccess": ["backup.amazonaws.com"], "manageTrustedAccess": false, "delegatedAdminAccountId": null, "globalSettings": null}

test_bai023_organization_trail_without_cloudtrail_access_fails if {
	vs := violations with input as one(lz_with({"organization": backup_only}))
	[v] := of_id(vs, "BAI023")
	v.path == "organization.trustedAccess"
	contains(v.message, "cloudtrail.amazonaws.com")
}

test_bai023_account_trail_needs_no_cloudtrail_access if {
	trail := merge(fixture_lz.auditTrail, {"organizationTrail": false})
	vs := violations with input as one(lz_with({"organization": backup_only, "auditTrail": trail}))
	count(of_id(vs, "BAI023")) == 0
}

test_bai023_no_trail_needs_no_cloudtrail_access if {
	vs := violations with input as one(lz_with({"organization": backup_only, "auditTrail": null}))
	count(of_id(vs, "BAI023")) == 0
}

test_bai023_managed_trusted_access_passes if {
	vs := violations with input as one(lz_with({"organization": merge(backup_only, {"manageTrustedAccess": true})}))
	count(of_id(vs, "BAI023")) == 0
}
