# BAI048, BAI049: the input parameters of framework controls, as AWS checks them.
# CreateFramework (and the StackSet's AWS::Backup::Framework) takes every parameter as a string and AWS refuses a
# parameter the control does not take, a unit outside its list or a value out of range only when Terraform applies
# the framework, after the stacks before it were created. The names, types and ranges below are AWS's: the AWS
# Backup Developer Guide ("Controls and remediation", "Creating frameworks using the AWS Backup API") and the AWS
# Config managed rules the controls run as (docs/policies.md cites each page). Every parameter is optional: AWS
# applies its default (shown in docs/policies.md) to one left out.
package backup_audit.config

import rego.v1

# The parameters each control accepts; a control missing here takes none.
control_parameters := {
	"BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK": {"requiredFrequencyUnit", "requiredFrequencyValue", "requiredRetentionDays"},
	"BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED": {"principalArnList"},
	"BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK": {"requiredRetentionDays"},
	"BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION": {"crossRegionList"},
	"BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT": {"crossAccountList"},
	"BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK": {"maxRetentionDays", "minRetentionDays"},
	"BACKUP_LAST_RECOVERY_POINT_CREATED": {"recoveryPointAgeUnit", "recoveryPointAgeValue"},
	"RESTORE_TIME_FOR_RESOURCES_MEET_TARGET": {"maxRestoreTime"},
	"RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT": {"recoveryPointAgeUnit", "recoveryPointAgeValue"},
}

accepted_parameters(control) := object.get(control_parameters, control, set())

parameter_path(i, j, name) := concat(".", [control_path(i, j), "parameters", name])

# Every parameter of every known control: [lz, framework, i, control, j, name, value].
control_parameter_values contains [lz, fw, i, control, j, name, value] if {
	some lz in input.landingZones
	some i, fw in lz.reports.frameworks
	some j, control in fw.controls
	control.name in known_controls
	some name, value in control.parameters
}

parameters_sentence(control) := "takes no input parameters" if {
	count(accepted_parameters(control)) == 0
} else := sprintf("takes only %s", [name_list(accepted_parameters(control))])

# A name that differs from an accepted one only in case: AWS matches names exactly.
spelling_hint(control, name) := sprintf(" (did you mean %s?)", [p]) if {
	some p in accepted_parameters(control)
	lower(p) == lower(name)
} else := ""

# rule BAI048: Control input parameters are ones the control takes
violations contains v if {
	some [lz, fw, i, control, j, name, _] in control_parameter_values
	not name in accepted_parameters(control.name)
	v := violation(
		lz, "BAI048", parameter_path(i, j, name),
		sprintf(
			"%s in framework %s %s, but parameters lists %s%s",
			[control.name, fw.name, parameters_sentence(control.name), name, spelling_hint(control.name, name)],
		),
		sprintf("remove %s from the control's parameters (see docs/policies.md, BAI048, for what each control takes)", [name]),
	)
}

# The unit in force for a value parameter: AWS's default is days.
unit_of(params, name) := object.get(params, name, "days")

time_units := {"hours", "days"}

# Whole-number parameters: [minimum, maximum, what the number counts]; maximum -1 means AWS documents none.
number_spec("BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", "requiredFrequencyValue", params) := [1, 24, "hours"] if {
	unit_of(params, "requiredFrequencyUnit") == "hours"
}

number_spec("BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", "requiredFrequencyValue", params) := [1, 31, "days"] if {
	unit_of(params, "requiredFrequencyUnit") != "hours"
}

number_spec("BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", "requiredRetentionDays", _) := [1, -1, "days"]

number_spec("BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", "requiredRetentionDays", _) := [1, -1, "days"]

number_spec("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK", "minRetentionDays", _) := [1, -1, "days"]

number_spec("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK", "maxRetentionDays", _) := [1, -1, "days"]

number_spec("BACKUP_LAST_RECOVERY_POINT_CREATED", "recoveryPointAgeValue", params) := [1, 744, "hours"] if {
	unit_of(params, "recoveryPointAgeUnit") == "hours"
}

number_spec("BACKUP_LAST_RECOVERY_POINT_CREATED", "recoveryPointAgeValue", params) := [1, 31, "days"] if {
	unit_of(params, "recoveryPointAgeUnit") != "hours"
}

number_spec("RESTORE_TIME_FOR_RESOURCES_MEET_TARGET", "maxRestoreTime", _) := [1, -1, "minutes"]

number_spec("RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT", "recoveryPointAgeValue", params) := [24, 2184, "hours"] if {
	unit_of(params, "recoveryPointAgeUnit") == "hours"
}

number_spec("RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT", "recoveryPointAgeValue", params) := [1, 91, "days"] if {
	unit_of(params, "recoveryPointAgeUnit") != "hours"
}

unit_parameters := {
	["BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", "requiredFrequencyUnit"],
	["BACKUP_LAST_RECOVERY_POINT_CREATED", "recoveryPointAgeUnit"],
	["RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT", "recoveryPointAgeUnit"],
}

range_text([low, high, what]) := sprintf("a whole number of %s from %d", [what, low]) if {
	high == -1
} else := sprintf("a whole number of %s from %d to %d", [what, low, high])

whole_number(value) if regex.match(`^[0-9]{1,9}$`, value)

out_of_range([low, _, _], value) if to_number(value) < low

out_of_range([_, high, _], value) if {
	high != -1
	to_number(value) > high
}

# Comma-separated lists (CSV parameters): entries trimmed of spaces.
csv_entries(value) := [trim_space(e) | some e in split(value, ",")]

# Entries of a list parameter that are not what AWS takes there.
bad_entries("principalArnList", value) := [e |
	some e in csv_entries(value)
	not regex.match(`^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[\w+=,.@/-]+$`, e)
]

bad_entries("crossAccountList", value) := [e |
	some e in csv_entries(value)
	not regex.match(`^[0-9]{12}$`, e)
]

bad_entries("crossRegionList", value) := [e |
	some e in csv_entries(value)
	not e in known_regions
]

csv_kind("principalArnList") := "an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)"

csv_kind("crossAccountList") := "a 12-digit account id"

csv_kind("crossRegionList") := "a Region name"

# At most 5 (AWS Backup guide: "up to five IAM roles", "up to 5 accounts"); AWS names no limit for Regions.
csv_limit("principalArnList") := [5, "roles"]

csv_limit("crossAccountList") := [5, "accounts"]

# What is wrong with a list parameter's value (the first problem only), or "" when nothing is.
csv_problem(name, value) := sprintf("lists %d %s; AWS accepts at most %d", [count(csv_entries(value)), noun, limit]) if {
	[limit, noun] := csv_limit(name)
	count(csv_entries(value)) > limit
} else := sprintf("has %s, which is not %s", [quoted(bad_entries(name, value)[0]), csv_kind(name)]) if {
	count(bad_entries(name, value)) > 0
} else := ""

csv_fix("principalArnList") := "list at most 5 IAM role ARNs separated by commas, e.g. \"arn:aws:iam::111122223333:role/BackupAdmin\""

csv_fix("crossAccountList") := "list at most 5 account ids of the organization separated by commas, e.g. \"111122223333,444455556666\""

csv_fix("crossRegionList") := "list Region names separated by commas, e.g. \"us-west-2,eu-west-1\""

quoted(s) := concat("", ["\"", s, "\""])

# What is wrong with a parameter the control takes: [lz, framework, i, control, j, name, message, fix].
parameter_problems contains [lz, fw, i, control, j, name, message, fix] if {
	some [lz, fw, i, control, j, name, value] in control_parameter_values
	[control.name, name] in unit_parameters
	not value in time_units
	message := sprintf("%s is %s, which is not a unit AWS accepts: %s", [name, quoted(value), concat(" or ", sort(time_units))])
	fix := sprintf("set %s to hours or days (lower case)", [name])
}

parameter_problems contains [lz, fw, i, control, j, name, message, fix] if {
	some [lz, fw, i, control, j, name, value] in control_parameter_values
	not whole_number(value)
	spec := number_spec(control.name, name, control.parameters)
	message := sprintf("%s is %s, not a whole number: AWS takes %s", [name, quoted(value), range_text(spec)])
	fix := sprintf("set %s to %s, e.g. %d", [name, range_text(spec), spec[0]])
}

parameter_problems contains [lz, fw, i, control, j, name, message, fix] if {
	some [lz, fw, i, control, j, name, value] in control_parameter_values
	whole_number(value)
	spec := number_spec(control.name, name, control.parameters)
	out_of_range(spec, value)
	message := sprintf("%s is %s, out of range: AWS takes %s%s", [name, value, range_text(spec), unit_note(control.name, name, control.parameters)])
	fix := sprintf("set %s to %s", [name, range_text(spec)])
}

parameter_problems contains [lz, fw, i, control, j, name, message, fix] if {
	some [lz, fw, i, control, j, name, value] in control_parameter_values
	name in accepted_parameters(control.name)
	name in {"principalArnList", "crossAccountList", "crossRegionList"}
	problem := csv_problem(name, value)
	problem != ""
	message := sprintf("%s %s", [name, problem])
	fix := csv_fix(name)
}

parameter_problems contains [lz, fw, i, control, j, name, message, fix] if {
	fix := "make minRetentionDays at most maxRetentionDays"
	some [lz, fw, i, control, j, name, value] in control_parameter_values
	control.name == "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK"
	name == "minRetentionDays"
	whole_number(value)
	maximum := object.get(control.parameters, "maxRetentionDays", "")
	whole_number(maximum)
	to_number(value) > to_number(maximum)
	message := sprintf("minRetentionDays %s is more than maxRetentionDays %s: no vault lock meets both", [value, maximum])
}

# Which unit the range depends on, when the control has a unit parameter.
unit_note(control, name, params) := sprintf(" with %s %s", [unit_name, unit_of(params, unit_name)]) if {
	name in {"requiredFrequencyValue", "recoveryPointAgeValue"}
	some [c, unit_name] in unit_parameters
	c == control
} else := ""

# rule BAI049: Control input parameter values are of the type and in the range AWS accepts
violations contains v if {
	some [lz, fw, i, control, j, name, message, fix] in parameter_problems
	v := violation(
		lz, "BAI049", parameter_path(i, j, name),
		sprintf("%s in framework %s: %s", [control.name, fw.name, message]),
		fix,
	)
}
