package backup_audit.config

import rego.v1

fixture_jobs := {
	"stackSetName": "acme-prod-backup-job-alerts",
	"administratorAccountId": "111122223333",
	"callAs": "SELF",
	"organizationalUnits": ["ou-ab12-workload1"],
	"targetsRoot": false,
	"regions": ["us-east-1"],
	"jobTypes": ["BACKUP", "COPY", "RESTORE"],
	"states": ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"],
	"busName": "acme-prod-backup-job-alerts",
	"busAccountId": "111122223333",
	"busRegion": "us-east-1",
	"archiveRetentionDays": 14,
	"digestWindowSeconds": 0,
	"accountNames": {},
	"slack": null,
}

lz_jobs(over) := lz_with({"alerts": {"emails": ["ops@example.com"], "jobs": merge(fixture_jobs, over)}})

# The fixture's plans, all scoped to the given Regions.
lz_jobs_scope(regions, over) := merge(lz_jobs(over), {"reports": merge(fixture_lz.reports, {"plans": [merge(p, {"scope": merge(p.scope, {"regions": regions})}) | some p in fixture_plans]})})

test_job_alerts_off_passes if {
	vs := violations with input as one(lz_with({"alerts": {"emails": [], "jobs": null}}))
	count([v | some v in vs; v.id in {"BAI055", "BAI056", "BAI057", "BAI058"}]) == 0
}

test_job_alerts_fixture_passes if {
	vs := violations with input as one(lz_jobs_scope(["us-east-1", "eu-west-1"], {}))
	count([v | some v in vs; v.id in {"BAI055", "BAI056", "BAI057", "BAI058"}]) == 0
}

test_bai055_region_outside_scope_fails if {
	vs := violations with input as one(lz_jobs_scope(["us-east-1"], {"regions": ["us-east-1", "eu-west-1", "ap-south-1"]}))
	[v] := of_id(vs, "BAI055")
	v.path == "alerts.jobs.regions"
	v.message == "alerts.jobs.regions lists ap-south-1, eu-west-1 outside the report scope's Regions (us-east-1): alerts would arrive for jobs the reports never show"
}

test_bai055_star_scope_admits_any_known_region if {
	vs := violations with input as one(lz_jobs_scope(["*"], {"regions": ["ap-south-1"]}))
	count(of_id(vs, "BAI055")) == 0
}

test_bai055_no_region_fails if {
	vs := violations with input as one(lz_jobs_scope(["*"], {"regions": []}))
	[v] := of_id(vs, "BAI055")
	startswith(v.message, "alerts.jobs has no Region")
}

test_bai055_unknown_region_fails if {
	vs := violations with input as one(lz_jobs_scope(["*"], {"regions": ["moon-east-1"]}))
	[v] := of_id(vs, "BAI055")
	v.message == "moon-east-1 is not an AWS Region name this project knows"
}

test_bai056_without_analytics_fails if {
	lz := merge(lz_jobs_scope(["us-east-1"], {}), {"analytics": merge(fixture_lz.analytics, {"enabled": false})})
	vs := violations with input as one(lz)
	[v] := of_id(vs, "BAI056")
	v.path == "alerts.jobs.enabled"
}

test_bai057_without_stacksets_trusted_access_fails if {
	lz := merge(lz_jobs_scope(["us-east-1"], {}), {"organization": merge(fixture_lz.organization, {"trustedAccess": ["backup.amazonaws.com"]})})
	vs := violations with input as one(lz)
	[v] := of_id(vs, "BAI057")
	v.path == "organization.trustedAccess"
	contains(v.message, "member.org.stacksets.cloudformation.amazonaws.com")
}

test_bai057_managed_trusted_access_passes if {
	org := merge(fixture_lz.organization, {"trustedAccess": [], "manageTrustedAccess": true})
	vs := violations with input as one(merge(lz_jobs_scope(["us-east-1"], {}), {"organization": org}))
	count(of_id(vs, "BAI057")) == 0
}

test_bai058_no_target_fails if {
	vs := violations with input as one(lz_jobs_scope(["us-east-1"], {"organizationalUnits": []}))
	[v] := of_id(vs, "BAI058")
	v.path == "alerts.jobs.organizationalUnits"
}

test_bai058_root_target_passes if {
	vs := violations with input as one(lz_jobs_scope(["us-east-1"], {"organizationalUnits": [], "targetsRoot": true}))
	count(of_id(vs, "BAI058")) == 0
}
