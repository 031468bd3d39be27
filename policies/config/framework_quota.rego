# BAI050, BAI051, BAI052: what one account and Region can hold of frameworks.
# AWS Backup allows 15 frameworks and 50 controls per account and Region (a control used in two frameworks counts
# twice), and refuses a framework whose name, or whose controls and parameters, equal another's there
# (AlreadyExists). Landing
# zones whose frameworks land in the same account and Region share both quotas: the framework past the quota fails
# at apply, after the others were created.
#
# Where frameworks land: without reports.memberFrameworks, in the reports account and Region; with it, in every
# account of the StackSet's target OUs (the whole organization but its management account for ROOT), in each of its
# Regions. Account membership of an OU is not in the config, so a StackSet target is compared with a reports account
# only through ROOT, and OUs only by id (a nested OU is not seen).
package backup_audit.config

import rego.v1

max_frameworks_per_account_region := 15

max_controls_per_account_region := 50

# The places a landing zone's frameworks are created in.
framework_places(lz) := ({{"kind": "account", "id": lz.reports.accountId, "region": lz.reports.region, "org": lz.organizationId} |
	count(lz.reports.frameworks) > 0
	not is_object(lz.reports.memberFrameworks)
} | {{"kind": "ou", "id": ou, "region": r, "org": lz.organizationId} |
	is_object(lz.reports.memberFrameworks)
	some ou in lz.reports.memberFrameworks.organizationalUnits
	some r in lz.reports.memberFrameworks.regions
}) | {{"kind": "root", "id": lz.managementAccountId, "region": r, "org": lz.organizationId} |
	is_object(lz.reports.memberFrameworks)
	lz.reports.memberFrameworks.targetsRoot == true
	some r in lz.reports.memberFrameworks.regions
}

# An account or OU belongs to one organization: places of two organizations never meet.
same_place(a, b) if {
	a.region == b.region
	a.kind == b.kind
	a.id == b.id
	a.org == b.org
}

# ROOT covers every OU and every account of its organization but the management account (StackSets never deploy
# there).
same_place(a, b) if root_covers(a, b)

same_place(a, b) if root_covers(b, a)

root_covers(root, other) if {
	root.kind == "root"
	other.kind in {"ou", "root"}
	root.region == other.region
	root.org == other.org
}

root_covers(root, other) if {
	root.kind == "root"
	other.kind == "account"
	root.region == other.region
	root.org == other.org
	other.id != root.id
}

place_text(p) := sprintf("account %s in %s", [p.id, p.region]) if {
	p.kind == "account"
} else := sprintf("the accounts of %s in %s", [p.id, p.region]) if {
	p.kind == "ou"
} else := sprintf("every member account of %s in %s", [p.org, p.region])

# Landing zones whose frameworks land where `place` is.
sharing(place) := {other |
	some other in input.landingZones
	some q in framework_places(other)
	same_place(place, q)
}

frameworks_at(place) := sum([count(other.reports.frameworks) | some other in sharing(place)])

controls_at(place) := sum([count(fw.controls) | some other in sharing(place); some fw in other.reports.frameworks])

sharing_names(place) := name_list({o.name | some o in sharing(place)})

# rule BAI050: At most 15 frameworks per account and Region, across landing zones
violations contains v if {
	some lz in input.landingZones
	over := {sprintf("%s would hold %d (landing zones: %s)", [place_text(place), n, sharing_names(place)]) |
		some place in framework_places(lz)
		n := frameworks_at(place)
		n > max_frameworks_per_account_region
	}
	count(over) > 0
	v := violation(
		lz, "BAI050", "reports.frameworks",
		sprintf("AWS Backup allows %d frameworks per account and Region: %s", [max_frameworks_per_account_region, concat("; ", sort(over))]),
		"combine controls into fewer frameworks or deploy some to other Regions or OUs; the quota can be raised through AWS Support, but the gate checks the default",
	)
}

# rule BAI051: At most 50 controls per account and Region, across landing zones
violations contains v if {
	some lz in input.landingZones
	over := {sprintf("%s would hold %d (landing zones: %s)", [place_text(place), n, sharing_names(place)]) |
		some place in framework_places(lz)
		n := controls_at(place)
		n > max_controls_per_account_region
	}
	count(over) > 0
	v := violation(
		lz, "BAI051", "reports.frameworks",
		sprintf(
			"AWS Backup allows %d framework controls per account and Region (a control in two frameworks counts twice): %s",
			[max_controls_per_account_region, concat("; ", sort(over))],
		),
		"drop controls that repeat across frameworks, or deploy some frameworks to other Regions or OUs",
	)
}

# What makes two frameworks the same for AWS: their controls with their parameters (scope and name aside).
framework_signature(fw) := {[c.name, c.parameters] | some c in fw.controls}

# Frameworks of the run in order: [position of the landing zone, lz, i, framework].
ordered_frameworks contains [k, lz, i, fw] if {
	some k, lz in input.landingZones
	some i, fw in lz.reports.frameworks
}

earlier(k1, _, k2, _) if k1 < k2

earlier(k1, i1, k2, i2) if {
	k1 == k2
	i1 < i2
}

places_meet(a, b) if {
	some p in framework_places(a)
	some q in framework_places(b)
	same_place(p, q)
}

clash(first, fw) := "the name of" if {
	first.name == fw.name
} else := "the same controls and parameters as" if {
	framework_signature(first) == framework_signature(fw)
}

# rule BAI052: No two frameworks in one account and Region share a name or their controls and parameters
violations contains v if {
	some [k, lz, i, fw] in ordered_frameworks
	some [k0, first_lz, i0, first] in ordered_frameworks
	earlier(k0, i0, k, i)
	places_meet(first_lz, lz)
	how := clash(first, fw)
	v := violation(
		lz, "BAI052", framework_path(i),
		sprintf(
			"framework %s has %s framework %s of landing zone %s, and both are created in the same accounts and Regions: AWS Backup refuses the second (AlreadyExists)",
			[fw.name, how, first.name, first_lz.name],
		),
		"rename the framework, or merge the two, or make a control or parameter differ (frameworks with equal controls and parameters are duplicates to AWS)",
	)
}
