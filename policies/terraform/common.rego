# Shared helpers of the post-synth checks. Input: {"stacks": {"<stack>": <cdk.tf.json>}}; IAM policy JSON
# strings have been parsed into objects by the gate before evaluation (policies/input.ts), since the Rego
# subset compiled here has no json.unmarshal.
package backup_audit.terraform

import rego.v1

# A violation points at the stack's synthesized file and the resource inside it.
violation(stack, type, id, rid, message, fix) := {
	"id": rid,
	"file": concat("", ["stacks/", stack, "/cdk.tf.json"]),
	"path": concat(".", ["resource", type, id]),
	"message": message,
	"fix": fix,
}

# Every resource of a type: [stack, logical id, resource].
resources_of(type) := [[stack, id, r] |
	some stack, doc in input.stacks
	some id, r in object.get(object.get(doc, "resource", {}), type, {})
]

# Nested blocks appear as an object (single block) or an array of objects, depending on the attribute schema.
blocks(x) := x if {
	is_array(x)
} else := [x] if {
	is_object(x)
} else := []

# The first block of an attribute, or {} (a function may have one output only, so index, do not iterate).
first_block(r, attr) := b if {
	bs := blocks(object.get(r, attr, []))
	count(bs) > 0
	b := bs[0]
	is_object(b)
} else := {}

# ref names the resource `type.id` (a Terraform expression on one of its attributes).
refers_to(ref, type, id) if {
	is_string(ref)
	startswith(ref, concat("", ["${", type, ".", id, "."]))
}

# A value that is a literal name equal to the resource's own name attribute.
refers_to_name(ref, r, attr) if {
	is_string(ref)
	name := object.get(r, attr, null)
	is_string(name)
	ref == name
}
