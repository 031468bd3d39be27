# BAI106: no IAM statement allows every action, or every action of a service.
# Least privilege (fact sheet §8.5): the partitioner needs a handful of Glue and Logs actions; a wildcard would
# hide a typo and grant far more. Deny statements (e.g. TLS-only bucket policies with s3:*) are fine.
package backup_audit.terraform

import rego.v1

# Policy documents: the `policy` / `assume_role_policy` attributes of any resource, inline policies of roles.
policy_documents contains [stack, type, id, doc] if {
	some stack, tf in input.stacks
	some type, rs in object.get(tf, "resource", {})
	some id, r in rs
	some attr in ["policy", "assume_role_policy"]
	doc := object.get(r, attr, null)
	is_object(doc)
}

policy_documents contains [stack, "aws_iam_role", id, doc] if {
	some [stack, id, role] in resources_of("aws_iam_role")
	some inline in blocks(object.get(role, "inline_policy", []))
	doc := object.get(inline, "policy", null)
	is_object(doc)
}

statements(doc) := blocks(object.get(doc, "Statement", []))

# An action that names every action (`*`) or every action of a service (`s3:*`).
wildcard_action("*")

wildcard_action(a) if endswith(a, ":*")

as_list(x) := x if {
	is_array(x)
} else := [x]

allows_wildcard(st) if {
	object.get(st, "Effect", "Allow") == "Allow"
	some a in as_list(object.get(st, "Action", []))
	wildcard_action(a)
}

# NotAction in an Allow statement allows everything except the listed actions.
allows_wildcard(st) if {
	object.get(st, "Effect", "Allow") == "Allow"
	object.get(st, "NotAction", null) != null
}

# rule BAI106: No IAM statement allows wildcard actions
violations contains v if {
	some [stack, type, id, doc] in policy_documents
	some st in statements(doc)
	allows_wildcard(st)
	v := violation(
		stack, type, id, "BAI106",
		sprintf("%s.%s allows wildcard actions (statement %s)", [type, id, object.get(st, "Sid", "without Sid")]),
		"list the actions the principal needs instead of * or service:*, and do not use NotAction with Allow",
	)
}
