package backup_audit.config

import rego.v1

fixture_framework(name, controls) := {"name": name, "description": "", "controls": controls}

fixture_control(name, scope) := {"name": name, "parameters": {}, "scope": scope}

with_frameworks(fws) := lz_with_reports({"frameworks": fws})

test_bai020_hyphenated_framework_name_fails if {
	vs := violations with input as one(with_frameworks([
		fixture_framework("baseline", [fixture_control("BACKUP_RECOVERY_POINT_ENCRYPTED", null)]),
		fixture_framework("prod-baseline", [fixture_control("BACKUP_RECOVERY_POINT_ENCRYPTED", null)]),
	]))
	[v] := of_id(vs, "BAI020")
	v.path == "reports.frameworks[1].name"
	contains(v.message, "\"prod-baseline\"")
}

test_bai020_valid_framework_name_passes if {
	vs := violations with input as one(with_frameworks([fixture_framework("Prod_baseline_2", [fixture_control("BACKUP_RECOVERY_POINT_ENCRYPTED", null)])]))
	count(vs) == 0
}

test_bai021_unknown_control_fails if {
	vs := violations with input as one(with_frameworks([fixture_framework("baseline", [
		fixture_control("BACKUP_RECOVERY_POINT_ENCRYPTED", null),
		fixture_control("BACKUP_VAULT_ENCRYPTED", null),
	])]))
	[v] := of_id(vs, "BAI021")
	v.path == "reports.frameworks[0].controls[1].name"
	v.message == "BACKUP_VAULT_ENCRYPTED in framework baseline is not an AWS Backup Audit Manager control"
}

test_bai021_known_controls_pass if {
	controls := [fixture_control(c, null) | some c in known_controls]
	vs := violations with input as one(with_frameworks([fixture_framework("all_controls", controls)]))
	count(vs) == 0
}

test_bai022_two_tags_fail if {
	scope := {"tags": {"backup": "daily", "env": "prod"}}
	vs := violations with input as one(with_frameworks([fixture_framework("baseline", [fixture_control("BACKUP_RECOVERY_POINT_ENCRYPTED", scope)])]))
	[v] := of_id(vs, "BAI022")
	v.path == "reports.frameworks[0].controls[0].scope.tags"
	contains(v.message, "scopes 2 tags")
}

test_bai022_one_tag_passes if {
	scope := {"tags": {"backup": "daily"}, "complianceResourceTypes": ["EBS"]}
	vs := violations with input as one(with_frameworks([fixture_framework("baseline", [fixture_control("BACKUP_RECOVERY_POINT_ENCRYPTED", scope)])]))
	count(vs) == 0
}
