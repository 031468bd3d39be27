package backup_audit.config

import rego.v1

lz_alerts(enabled, emails) := lz_with({
	"analytics": merge(fixture_lz.analytics, {"enabled": enabled}),
	"alerts": {"emails": emails},
})

test_bai047_emails_without_analytics_fail if {
	vs := violations with input as one(lz_alerts(false, ["ops@example.com", "backup@example.com"]))
	[v] := of_id(vs, "BAI047")
	v.path == "alerts.emails"
	v.landingZone == "acme-prod"
	v.message == "alerts.emails lists 2 address(es) but analytics.enabled is false: the failure alarms and their topic are part of the analytics stack, so nobody would ever be notified"
	v.fix == "set analytics.enabled: true, or remove alerts.emails"
}

test_bai047_emails_with_analytics_pass if {
	vs := violations with input as one(lz_alerts(true, ["ops@example.com"]))
	count(of_id(vs, "BAI047")) == 0
}

test_bai047_analytics_off_without_emails_passes if {
	vs := violations with input as one(lz_alerts(false, []))
	count(of_id(vs, "BAI047")) == 0
}

test_bai047_no_alerts_field_passes if {
	lz := lz_with({"analytics": merge(fixture_lz.analytics, {"enabled": false})})
	vs := violations with input as one(lz)
	count(of_id(vs, "BAI047")) == 0
}

test_bai054_no_emails_warns if {
	ws := warnings with input as one(lz_alerts(true, []))
	[w] := [x | some x in ws]
	w.id == "BAI054"
	w.path == "alerts.emails"
	startswith(w.message, "alerts.emails is empty: every failure alarm of landing zone acme-prod")

	# A warning, not a violation: the gate passes.
	count(violations) == 0 with input as one(lz_alerts(true, []))
}

test_bai054_no_alerts_field_warns if {
	ws := warnings with input as one(fixture_lz)
	count(ws) == 1
}

test_bai054_an_address_or_no_analytics_is_quiet if {
	count(warnings) == 0 with input as one(lz_alerts(true, ["ops@example.com"]))
	count(warnings) == 0 with input as one(lz_alerts(false, []))
}
