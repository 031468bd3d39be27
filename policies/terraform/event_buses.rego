# BAI139: an event bus policy never admits everyone.
# The central job-alert bus receives events from every account of the organization; its policy must name the
# organization (aws:PrincipalOrgID) wherever its principal is "*", or any AWS account could put events on it
# (fake alerts, and the archive and formatter pay for them).
package backup_audit.terraform

import rego.v1

open_principal(st) if st.Principal == "*"

open_principal(st) if "*" in as_list(object.get(object.get(st, "Principal", {}), "AWS", []))

org_limited(st) if {
	some keys in object.get(st, "Condition", {})
	"aws:PrincipalOrgID" in object.keys(keys)
}

# rule BAI139: Event bus policies open to "*" are limited to the organization
violations contains v if {
	some [stack, id, bp] in resources_of("aws_cloudwatch_event_bus_policy")
	some st in statements(bp.policy)
	object.get(st, "Effect", "Allow") == "Allow"
	open_principal(st)
	not org_limited(st)
	v := violation(
		stack, "aws_cloudwatch_event_bus_policy", id, "BAI139",
		sprintf("event bus policy %s lets any AWS principal (\"*\") act on the bus without an aws:PrincipalOrgID condition (statement %s)", [id, object.get(st, "Sid", "without Sid")]),
		"add Condition {\"StringEquals\": {\"aws:PrincipalOrgID\": \"<organization id>\"}} to the statement, or name the accounts as principals",
	)
}
