# A platform team's own rule, kept outside the project's policies and added with
# `backup-audit validate --policy examples/policies/owner-tag` or BACKUP_AUDIT_POLICIES for synth.
# Custom rules join the gate's package and add to `violations` with the shared `violation` helper, so they are
# reported exactly like the built-in ones (id, file, field, message, fix, SARIF).
package backup_audit.config

import rego.v1

# rule ACME001: Every landing zone names an owner and a cost centre in its default tags
violations contains v if {
	some lz in input.landingZones
	some key in {"owner", "cost-center"}
	not lz.tags[key]
	v := violation(
		lz, "ACME001", "tags",
		sprintf("landing zone %s has no %s tag, which ACME's cost reports and on-call routing read", [lz.name, key]),
		sprintf("add %s: <value> under tags", [key]),
	)
}
