# BAI228, BAI229 and the report: waivers turn a finding into a reported pass, for a while and on the record.
# A waiver names a rule id, a resource address pattern, the stacks it applies to (pattern, default `*`), an
# owner, a reason and an expiry date; it matches the findings of that rule whose address and stack match the
# patterns (glob: `*` any run of characters, `?` one character). It is in force up to and including its expiry
# date (input.today, UTC). An expired waiver waives nothing and refuses the plan itself, so that a waiver is
# renewed on purpose or removed; a waiver in force that matches no finding is reported, so that the file does
# not keep waivers for changes that are long applied. Both are reported only for waivers whose stack pattern
# matches a stack of the run (a pipeline checks one stack at a time).
package backup_audit.plan

import rego.v1

waivers := as_list(object.get(input, "waivers", []))

expired(w) if w.expires < input.today

in_force := [w | some w in waivers; not expired(w)]

# The waiver concerns a plan of this run.
applies_to_run(w) if {
	some p in input.plans
	glob.match(w.stack, null, p.stack)
}

waives(w, f) if {
	w.rule == f.id
	glob.match(w.address, null, f.address)
	glob.match(w.stack, null, f.stack)
}

# The first waiver in force (by position in the file) that matches the finding.
waiver_of(f) := ws[0] if {
	ws := [w | some w in in_force; waives(w, f)]
	count(ws) > 0
}

# rule BAI228: Waivers are renewed or removed when they expire
expired_waivers contains f if {
	some w in waivers
	expired(w)
	applies_to_run(w)
	f := waiver_finding(
		w, "BAI228",
		sprintf("the waiver of %s for %s (stack %s, owner %s) expired on %s: it waives nothing any more, and an expired waiver refuses the plan", [w.rule, w.address, w.stack, w.owner, w.expires]),
		"remove the waiver when its change is applied or abandoned; if the change is still intended, agree a new expiry date with the owner and update `expires`",
	)
}

# rule BAI229: Waivers in force match a finding
unused_waivers contains f if {
	some w in in_force
	applies_to_run(w)
	not matches_any(w)
	f := waiver_finding(
		w, "BAI229",
		sprintf("the waiver of %s for %s (stack %s, owner %s, until %s) matches no finding in the plans checked", [w.rule, w.address, w.stack, w.owner, w.expires]),
		"remove it if its change is applied; otherwise check the rule id, the address pattern and the stack pattern against the plan's addresses",
	)
}

matches_any(w) if {
	some f in (deny | warn)
	waives(w, f)
}

waiver_finding(w, id, message, fix) := {
	"id": id,
	"file": w.file,
	"stack": w.stack,
	"address": w.address,
	"path": sprintf("waivers[%d]", [w.index]),
	"actions": [],
	"message": message,
	"fix": fix,
}

# The entrypoint: findings that refuse the plan, warnings, and the findings waivers let through (each with
# its waiver).
report := {
	"deny": array.concat(
		[object.union(f, {"level": "deny"}) | some f in deny; not waiver_of(f)],
		[object.union(f, {"level": "deny"}) | some f in expired_waivers],
	),
	"warn": array.concat(
		[object.union(f, {"level": "warn"}) | some f in warn; not waiver_of(f)],
		[object.union(f, {"level": "warn"}) | some f in unused_waivers],
	),
	"waived": array.concat(
		[object.union(f, {"level": "deny", "waiver": waiver_of(f)}) | some f in deny; waiver_of(f)],
		[object.union(f, {"level": "warn", "waiver": waiver_of(f)}) | some f in warn; waiver_of(f)],
	),
}
