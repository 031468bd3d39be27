# Shared helpers of the plan guard (`backup-audit check-plan`): policies over `terraform show -json` of saved
# plans, in the habit of OPA's Terraform guide and conftest. Input (built by policies/plan-check.ts):
#   {"today": "YYYY-MM-DD",
#    "plans": [{"file": <plan file>, "stack": <stack name>, "plan": <terraform show -json of a saved plan>}],
#    "waivers": [{"index", "file", "line", "rule", "address", "stack", "owner", "reason", "expires"}]}
# Rules add findings to `deny` (the plan is refused) or `warn` (reported, never refused); `report`
# (waivers.rego) applies the waivers and is the entrypoint the command evaluates.
#
# Unknown values: OPA's Terraform guide warns that a plan does not know every value (computed attributes,
# references to resources the same plan creates). A protection whose value after the plan is unknown counts as
# switched off, with a message that says so: an unknown value never passes. Actions, addresses, types and the
# values before the plan (the prior state) are always known.
package backup_audit.plan

import rego.v1

# Every managed resource change of every plan, with the index, file and stack of its plan. Data sources
# (mode "data") are only read.
resource_changes := [{"plan": i, "file": p.file, "stack": p.stack, "rc": rc} |
	some i, p in input.plans
	some rc in as_list(object.get(p.plan, "resource_changes", []))
	is_object(rc)
	object.get(rc, "mode", "managed") == "managed"
]

# The resource changes of one resource type.
changes_of(type) := [c | some c in resource_changes; c.rc.type == type]

as_list(x) := x if is_array(x)

else := []

# Nested blocks are arrays in plan JSON (list and set blocks); an object is accepted as one block.
blocks(x) := x if {
	is_array(x)
} else := [x] if {
	is_object(x)
} else := []

# A finding about one resource change. Custom rules build theirs with this helper too.
finding(c, id, message, fix) := object.union(
	{
		"id": id,
		"file": c.file,
		"stack": c.stack,
		"address": c.rc.address,
		"path": c.rc.address,
		"actions": c.rc.change.actions,
		"message": message,
		"fix": fix,
	},
	landing_zone(c.rc.change),
)

# The landing zone from the tag every resource of the project carries (provider default_tags → tags_all).
landing_zone(change) := {"landingZone": lz} if {
	lz := object.get(object.get(side(change, "before"), "tags_all", {}), "backup-audit:landing-zone", null)
	is_string(lz)
} else := {"landingZone": lz} if {
	lz := object.get(object.get(side(change, "after"), "tags_all", {}), "backup-audit:landing-zone", null)
	is_string(lz)
} else := {}

# The object before or after the change ({} when there is none: before a create, after a delete).
side(change, name) := obj if {
	obj := change[name]
	is_object(obj)
} else := {}

before(rc) := side(rc.change, "before")

after(rc) := side(rc.change, "after")

# The change deletes an object: a deletion, either order of a replacement, or a deposed object.
removes(rc) if "delete" in rc.change.actions

# The change leaves an object after the plan: a create, an update, or the new object of a replacement.
keeps_object(rc) if {
	some action in rc.change.actions
	action in {"create", "update"}
}

# create_before_destroy replacement: the old object's delete runs last.
deletes_last(rc) if rc.change.actions == ["create", "delete"]

# A value after the plan is unknown at plan time: after_unknown marks it, or one of its parents, as true.
unknown_at(rc, _) if rc.change.after_unknown == true

unknown_at(rc, path) if marked_at(rc.change.after_unknown, path)

# `marks` (after_unknown, before_sensitive or after_sensitive) holds true at the path or at one of its parents.
marked_at(marks, path) if {
	is_object(marks)
	walk(marks, [prefix, true])
	count(prefix) > 0
	array.slice(path, 0, count(prefix)) == prefix
}

# A value marked sensitive in the plan (before_sensitive / after_sensitive): never printed.
sensitive_at(rc, name, _) if rc.change[concat("", [name, "_sensitive"])] == true

sensitive_at(rc, name, path) if marked_at(rc.change[concat("", [name, "_sensitive"])], path)

# A name attribute as messages show it: the value, or why it is not shown.
shown(rc, name, key) := "(sensitive value)" if {
	sensitive_at(rc, name, [key])
} else := v if {
	v := object.get(side(rc.change, name), key, null)
	is_string(v)
	v != ""
} else := "(unnamed)"

# The name of what a removal deletes (before the plan).
old_name(rc, key) := shown(rc, "before", key)

# What the plan does to a resource it removes, as a verb phrase.
change_phrase(rc) := sprintf("deletes the deposed object %s of", [rc.deposed]) if {
	is_string(object.get(rc, "deposed", null))
} else := "deletes and re-creates" if {
	rc.change.actions == ["delete", "create"]
} else := "creates a replacement for, then deletes," if {
	deletes_last(rc)
} else := "deletes" if {
	removes(rc)
}

# Why, when the plan says so: the attributes that force a replacement and Terraform's action reason.
reason_phrase(rc) := concat("", [" (", concat("; ", reasons), ")"]) if {
	reasons := array.concat(forced_by(rc), action_reason(rc))
	count(reasons) > 0
} else := ""

forced_by(rc) := [concat("", ["forced by a change of ", concat(", ", paths)])] if {
	paths := [concat(".", [sprintf("%v", [step]) | some step in path]) |
		some path in as_list(object.get(rc.change, "replace_paths", []))
		is_array(path)
	]
	count(paths) > 0
} else := []

action_reason(rc) := [concat("", ["Terraform: ", reason])] if {
	reason := object.get(rc, "action_reason", null)
	is_string(reason)
} else := []

# "deletes S3 bucket x (forced by a change of bucket; Terraform: replace_because_cannot_update)"
removal(rc, what, key) := sprintf("the plan %s %s %s%s", [change_phrase(rc), what, old_name(rc, key), reason_phrase(rc)])

# Bucket names (s3://<bucket>/...) of the query results locations of the plan's Athena workgroups, before and
# after the change: those buckets hold re-creatable query output, not audit evidence.
results_bucket(plan, bucket) if {
	some c in changes_of("aws_athena_workgroup")
	c.plan == plan
	some name in ["before", "after"]
	some conf in blocks(object.get(side(c.rc.change, name), "configuration", []))
	some results in blocks(object.get(conf, "result_configuration", []))
	location := object.get(results, "output_location", null)
	is_string(location)
	startswith(location, "s3://")
	split(trim_prefix(location, "s3://"), "/")[0] == bucket
}

# The plan deletes the bucket itself (its companions' findings would only repeat BAI201).
bucket_removed(plan, bucket) if {
	some c in changes_of("aws_s3_bucket")
	c.plan == plan
	removes(c.rc)
	before(c.rc).bucket == bucket
}
