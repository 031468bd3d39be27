# BAI047, BAI054: alert addresses and the analytics stack's alarms.
# The failure alarms and the SNS topic that `alerts.emails` subscribes to are created by the analytics stack;
# with analytics disabled there is no stack to hold them, so the addresses would be accepted and never notified.
# The other way round, alarms with no address notify a topic nobody subscribes to: allowed (subscriptions may be
# made outside this project), but worth a warning, which `warnings` carries (printed, never failing the gate).
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

# rule BAI054: Warning: the failure alarms notify a topic with no subscriber when alerts.emails is empty
warnings contains w if {
	some lz in input.landingZones
	lz.analytics.enabled == true
	count(object.get(lz, ["alerts", "emails"], [])) == 0
	w := violation(
		lz, "BAI054", "alerts.emails",
		sprintf("alerts.emails is empty: every failure alarm of landing zone %s (dead-letter queues, the partitioner's errors, report header drift) notifies an SNS topic with no subscriber, so nobody hears it", [lz.name]),
		"list the addresses to notify under alerts.emails (each confirms the subscription by mail), or subscribe to the topic <landing zone>-backup-audit-alarms outside this project",
	)
}
