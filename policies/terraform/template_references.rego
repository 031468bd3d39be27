# BAI136: Terraform reads every string of the JSON configuration as a template, so "${...}" is an expression and
# "%{...}" a directive wherever they appear (a Glue parameter, a policy document, a query). A literal meant for
# another system (partition projection's "${account}", say) fails `terraform validate` with "Invalid reference",
# and only at plan time: no JSON check sees it. Each "${" must start an expression that resolves inside its own
# stack (a resource, data source, variable, local or module of that stack, or a function call); a literal is
# written "$${" (and "%%{").
package backup_audit.terraform

import rego.v1

# Top-level blocks whose strings Terraform evaluates.
evaluated_blocks := {"resource", "data", "output", "locals", "provider", "module", "import", "check"}

# The expression after each "${" that is not escaped as "$${" (and an optional "~" strip marker).
interpolations(s) := [m[1] |
	some m in regex.find_all_string_submatch_n(`(?:^|[^$])\$\{~?\s*([^}]*)`, s, -1)
]

# A directive "%{" not escaped as "%%{".
has_directive(s) if regex.match(`(?:^|[^%])%\{`, s)

reference_kinds := {
	"var": "variable",
	"local": "locals",
	"module": "module",
}

# Expressions that resolve without a declaration: literals, constructors, functions, Terraform's own objects.
self_evident(expr) if regex.match(`^(?:[0-9"\[\{\(!-]|(?:true|false|null)\b|(?:path|terraform|count|each|self)\.)`, expr)

self_evident(expr) if regex.match(`^[A-Za-z][A-Za-z0-9_]*(?:::[A-Za-z0-9_]+)*\s*\(`, expr)

resolves(_, expr) if self_evident(expr)

resolves(doc, expr) if {
	[_, kind, name] := regex.find_all_string_submatch_n(`^(var|local|module)\.([A-Za-z_][A-Za-z0-9_-]*)`, expr, 1)[0]
	object.get(doc, [reference_kinds[kind], name], null) != null
}

resolves(doc, expr) if {
	[_, type, name] := regex.find_all_string_submatch_n(`^data\.([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)`, expr, 1)[0]
	object.get(doc, ["data", type, name], null) != null
}

resolves(doc, expr) if {
	[_, type, name] := regex.find_all_string_submatch_n(`^([A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)`, expr, 1)[0]
	object.get(doc, ["resource", type, name], null) != null
}

# "resource.aws_glue_catalog_table.t" for a resource's attribute, the block path otherwise.
template_address(path) := concat(".", [path[1], path[2]]) if {
	path[0] in {"resource", "data"}
	count(path) > 3
} else := concat(".", [sprintf("%v", [p]) | some p in array.slice(path, 0, 2)])

template_violation(stack, path, message) := {
	"id": "BAI136",
	"file": concat("", ["stacks/", stack, "/cdk.tf.json"]),
	"path": concat(".", [sprintf("%v", [p]) | some p in path]),
	"message": message,
	"fix": "write a literal \"${\" as \"$${\" (and \"%{\" as \"%%{\"), or refer to a resource, data source, variable, local or module of the same stack",
}

# rule BAI136: every "${...}" in the Terraform JSON is an expression that resolves in its stack
violations contains v if {
	some stack, doc in input.stacks
	walk(doc, [path, value])
	is_string(value)
	contains(value, "${")
	path[0] in evaluated_blocks
	some expr in interpolations(value)
	not resolves(doc, expr)
	v := template_violation(stack, path, sprintf(
		"stack %s, %s, attribute %s: \"${%s}\" is not a Terraform expression that resolves in this stack (Terraform reads every JSON string as a template: \"Invalid reference\" at plan)",
		[stack, template_address(path), concat(".", [sprintf("%v", [p]) | some p in array.slice(path, 3, count(path))]), trim_space(expr)],
	))
}

# rule BAI136: no template directive "%{...}" in the Terraform JSON (the stacks write none; a literal is "%%{")
violations contains v if {
	some stack, doc in input.stacks
	walk(doc, [path, value])
	is_string(value)
	contains(value, "%{")
	path[0] in evaluated_blocks
	has_directive(value)
	v := template_violation(stack, path, sprintf(
		"stack %s, %s, attribute %s: \"%%{\" starts a Terraform template directive",
		[stack, template_address(path), concat(".", [sprintf("%v", [p]) | some p in array.slice(path, 3, count(path))])],
	))
}
