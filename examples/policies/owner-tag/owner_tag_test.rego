package backup_audit.config

import rego.v1

lz(tags) := {"name": "acme-prod", "sourceFile": "acme-prod.yaml", "tags": tags}

acme001(vs) := {v | some v in vs; v.id == "ACME001"}

test_acme001_both_tags_present_passes if {
	vs := violations with input as {"landingZones": [lz({"owner": "platform", "cost-center": "cc-42"})]}
	count(acme001(vs)) == 0
}

test_acme001_missing_cost_center_is_reported if {
	vs := violations with input as {"landingZones": [lz({"owner": "platform"})]}
	[v] := [v | some v in acme001(vs)]
	v.path == "tags"
	v.file == "acme-prod.yaml"
	v.landingZone == "acme-prod"
	contains(v.message, "has no cost-center tag")
	v.fix == "add cost-center: <value> under tags"
}

test_acme001_no_tags_reports_both if {
	vs := violations with input as {"landingZones": [lz({})]}
	count(acme001(vs)) == 2
}
