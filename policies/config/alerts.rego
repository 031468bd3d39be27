# BAI047: alert addresses need the analytics stack.
# The failure alarms and the SNS topic that `alerts.emails` subscribes to are created by the analytics stack;
# with analytics disabled there is no stack to hold them, so the addresses would be accepted and never notified.
package backup_audit.config

import rego.v1

# rule BAI047: Alert email addresses need analytics enabled (the alarms and their topic live there)
violations contains v if {
	some lz in input.landingZones
	lz.analytics.enabled == false
	emails := object.get(lz, ["alerts", "emails"], [])
	count(emails) > 0
	v := violation(
		lz, "BAI047", "alerts.emails",
		sprintf("alerts.emails lists %d address(es) but analytics.enabled is false: the failure alarms and their topic are part of the analytics stack, so nobody would ever be notified", [count(emails)]),
		"set analytics.enabled: true, or remove alerts.emails",
	)
}
