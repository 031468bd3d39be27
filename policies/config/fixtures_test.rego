# Test fixtures for the config policies: the normalised form of config/example.yaml, and helpers that change
# one field of it, so that every test states only what it breaks.
package backup_audit.config

import rego.v1

# Shallow merge: keys of b win.
merge(a, b) := {k: pick(a, b, k) | some k in all_keys(a, b)}

all_keys(a, b) := object.keys(a) | object.keys(b)

pick(a, b, k) := b[k] if {
	k in object.keys(b)
} else := a[k]

fixture_plan(template, prefix) := {
	"template": template,
	"name": concat("", ["acme_prod_", lower(template)]),
	"description": "fixture",
	"keyPrefix": prefix,
	"formats": ["CSV"],
	"scope": {"accounts": ["ROOT"], "organizationalUnits": [], "regions": ["*"]},
	"frameworkArns": [],
	"numberOfFrameworks": null,
	"organizationScope": true,
	"crossAccount": true,
	"fieldPaths": {
		"name": "name",
		"keyPrefix": "reports.keyPrefixRoot",
		"formats": "reports.formats",
		"scope": "reports.scope",
		"frameworkArns": concat("", ["reports.overrides.", template, ".frameworkArns"]),
	},
}

fixture_plans := [
	fixture_plan("BACKUP_JOB_REPORT", "BackupJob"),
	fixture_plan("COPY_JOB_REPORT", "CopyJob"),
	fixture_plan("RESTORE_JOB_REPORT", "RestoreJob"),
	fixture_plan("CONTROL_COMPLIANCE_REPORT", "ControlCompliance"),
	fixture_plan("RESOURCE_COMPLIANCE_REPORT", "ResourceCompliance"),
]

fixture_bucket(role, name, target, path) := {
	"role": role, "name": name, "accountId": "111122223333", "region": "us-east-1",
	"logTarget": target, "fieldPath": path,
}

fixture_buckets := [
	fixture_bucket("reports", "acme-reports", "acme-reports-logs", "reports.bucketName"),
	fixture_bucket("reportsAccessLog", "acme-reports-logs", null, "reports.accessLogBucketName"),
	fixture_bucket("athenaResults", "acme-reports-athena", "acme-reports-logs", "analytics.resultsBucketName"),
	fixture_bucket("trail", "acme-trail", "acme-trail-logs", "auditTrail.bucketName"),
	fixture_bucket("trailAccessLog", "acme-trail-logs", null, "auditTrail.accessLogBucketName"),
]

fixture_member_frameworks := {
	"stackSetName": "acme-prod-backup-frameworks",
	"administratorAccountId": "111122223333",
	"callAs": "SELF",
	"organizationalUnits": [],
	"targetsRoot": true,
	"regions": ["us-east-1"],
}

fixture_trail := {
	"enabled": true,
	"create": true,
	"name": "acme-prod-backup-events",
	"accountId": "111122223333",
	"region": "us-east-1",
	"bucketAccountId": "111122223333",
	"bucketRegion": "us-east-1",
	"bucketName": "acme-trail",
	"accessLogBucketName": "acme-trail-logs",
	"keyPrefix": "",
	"organizationTrail": true,
	"logRetentionDays": 365,
	"kmsKeyArn": null,
	"bucketFieldPath": "auditTrail.bucketName",
	"ignoredFields": [],
}

fixture_lz := {
	"name": "acme-prod",
	"sourceFile": "acme-prod.yaml",
	"managementAccountId": "111122223333",
	"organizationId": "o-abc123def4",
	"homeRegion": "us-east-1",
	"tags": {},
	"deployment": {"roleName": "OrganizationAccountAccessRole", "backend": null},
	"organization": {
		"trustedAccess": ["backup.amazonaws.com", "cloudtrail.amazonaws.com", "member.org.stacksets.cloudformation.amazonaws.com"],
		"manageTrustedAccess": false,
		"delegatedAdminAccountId": null,
		"globalSettings": null,
	},
	"reports": {
		"accountId": "111122223333",
		"region": "us-east-1",
		"bucketName": "acme-reports",
		"accessLogBucketName": "acme-reports-logs",
		"createServiceLinkedRole": false,
		"kmsKeyArn": null,
		"retention": {"reportDays": 400, "noncurrentVersionDays": 30, "accessLogDays": 365},
		"plans": fixture_plans,
		"frameworks": [{"name": "acme_baseline", "description": "", "controls": [{"name": "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", "parameters": {}, "scope": null}]}],
		"memberFrameworks": fixture_member_frameworks,
	},
	"analytics": {
		"enabled": true,
		"databaseName": "backup_reports",
		"workgroup": "backup-reports",
		"resultsBucketName": "acme-reports-athena",
		"logRetentionDays": 90,
		"kmsKeyArn": null,
	},
	"encryption": {"createKeys": false},
	"auditTrail": fixture_trail,
	"buckets": fixture_buckets,
}

# The fixture with top-level fields replaced.
lz_with(over) := merge(fixture_lz, over)

# The fixture with fields of `reports` replaced.
lz_with_reports(over) := lz_with({"reports": merge(fixture_lz.reports, over)})

# The fixture with fields of plan i replaced.
lz_with_plan(i, over) := lz_with_reports({"plans": [plan_at(j, p, i, over) | some j, p in fixture_plans]})

plan_at(j, p, i, over) := merge(p, over) if {
	j == i
} else := p

# The fixture with fields of bucket i replaced.
lz_with_bucket(i, over) := lz_with({"buckets": [bucket_at(j, b, i, over) | some j, b in fixture_buckets]})

bucket_at(j, b, i, over) := merge(b, over) if {
	j == i
} else := b

one(lz) := {"landingZones": [lz]}

# Another landing zone of the run in the fixture's accounts, named n, with names of its own (plans, buckets,
# Glue database, Athena workgroup), so that the rules across landing zones (BAI008, BAI025, BAI026) stay quiet.
fixture_named(n) := lz_with({
	"name": n,
	"sourceFile": concat("", [n, ".yaml"]),
	"analytics": merge(fixture_lz.analytics, {"databaseName": concat("_", [replace(n, "-", "_"), "reports"]), "workgroup": concat("-", [n, "reports"])}),
	"buckets": [merge(b, {"name": concat("-", [n, lower(b.role)])}) | some b in fixture_buckets],
	"reports": merge(fixture_lz.reports, {
		"plans": [merge(p, {"name": concat("_", [replace(n, "-", "_"), p.name])}) | some p in fixture_plans],
		"frameworks": [named_framework(n)],
	}),
})

# A framework of its own for landing zone n (name and a parameter): two in one place would clash (BAI052).
named_framework(n) := {"name": concat("_", [replace(n, "-", "_"), "baseline"]), "description": "", "controls": [{
	"name": "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
	"parameters": {"principalArnList": concat("", ["arn:aws:iam::111122223333:role/", n, "-backup-admin"])},
	"scope": null,
}]}

# Violations of one id.
of_id(vs, id) := [v | some v in vs; v.id == id]

test_fixture_passes if {
	vs := violations with input as one(fixture_lz)
	count(vs) == 0
}

test_empty_input_passes if {
	vs := violations with input as {"landingZones": []}
	count(vs) == 0
}
