package backup_audit.config

import rego.v1

param_control(name, params) := {"name": name, "parameters": params, "scope": null}

# The fixture with one control with these parameters, in framework "baseline".
control_input(name, params) := one(with_frameworks([fixture_framework("baseline", [param_control(name, params)])]))

# A set of violations as an array, to match `[v] := ...`.
listed(vs) := [v | some v in vs]

test_bai048_parameter_of_a_control_that_takes_none_fails if {
	[v] := listed(violations) with input as control_input("BACKUP_RECOVERY_POINT_ENCRYPTED", {"requiredRetentionDays": "35"})
	v.id == "BAI048"
	v.path == "reports.frameworks[0].controls[0].parameters.requiredRetentionDays"
	v.message == "BACKUP_RECOVERY_POINT_ENCRYPTED in framework baseline takes no input parameters, but parameters lists requiredRetentionDays"
	contains(v.fix, "remove requiredRetentionDays")
}

test_bai048_unknown_parameter_names_the_accepted_ones if {
	[v] := listed(violations) with input as control_input("BACKUP_LAST_RECOVERY_POINT_CREATED", {"recoveryPointAgeValue": "2", "maxAgeDays": "2"})
	v.id == "BAI048"
	v.message == "BACKUP_LAST_RECOVERY_POINT_CREATED in framework baseline takes only recoveryPointAgeUnit, recoveryPointAgeValue, but parameters lists maxAgeDays"
}

test_bai048_wrong_case_gets_a_hint if {
	[v] := listed(violations) with input as control_input("BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", {"RequiredRetentionDays": "35"})
	endswith(v.message, "but parameters lists RequiredRetentionDays (did you mean requiredRetentionDays?)")
}

test_bai048_unknown_control_reports_only_bai021 if {
	[v] := listed(violations) with input as control_input("BACKUP_VAULT_ENCRYPTED", {"x": "1"})
	v.id == "BAI021"
}

test_every_control_passes_with_its_documented_parameters if {
	controls := [
		param_control("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", {}),
		param_control("BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", {"requiredFrequencyUnit": "hours", "requiredFrequencyValue": "24", "requiredRetentionDays": "35"}),
		param_control("BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED", {"principalArnList": "arn:aws:iam::123456789012:role/application_abc/component_xyz/RDSAccess, arn:aws:iam::123456789012:role/service-role/QuickSightAction"}),
		param_control("BACKUP_RECOVERY_POINT_ENCRYPTED", {}),
		param_control("BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", {"requiredRetentionDays": "1"}),
		param_control("BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", {"crossRegionList": "us-west-2,eu-west-1"}),
		param_control("BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT", {"crossAccountList": "111122223333,444455556666,777788889999,123456789012,210987654321"}),
		param_control("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK", {"minRetentionDays": "1", "maxRetentionDays": "100"}),
		param_control("BACKUP_LAST_RECOVERY_POINT_CREATED", {"recoveryPointAgeUnit": "hours", "recoveryPointAgeValue": "744"}),
		param_control("RESTORE_TIME_FOR_RESOURCES_MEET_TARGET", {"maxRestoreTime": "720"}),
		param_control("RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT", {"recoveryPointAgeUnit": "days", "recoveryPointAgeValue": "91"}),
	]
	vs := violations with input as one(with_frameworks([fixture_framework("all_controls", controls)]))
	count(vs) == 0
}

test_bai049_retention_that_is_not_a_number_fails if {
	[v] := listed(violations) with input as control_input("BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", {"requiredRetentionDays": "35 days"})
	v.id == "BAI049"
	v.path == "reports.frameworks[0].controls[0].parameters.requiredRetentionDays"
	v.message == "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK in framework baseline: requiredRetentionDays is \"35 days\", not a whole number: AWS takes a whole number of days from 1"
	v.fix == "set requiredRetentionDays to a whole number of days from 1, e.g. 1"
}

test_bai049_zero_and_decimals_fail if {
	[zero] := listed(violations) with input as control_input("BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", {"requiredRetentionDays": "0"})
	contains(zero.message, "requiredRetentionDays is 0, out of range: AWS takes a whole number of days from 1")
	[decimal] := listed(violations) with input as control_input("RESTORE_TIME_FOR_RESOURCES_MEET_TARGET", {"maxRestoreTime": "7.5"})
	contains(decimal.message, "maxRestoreTime is \"7.5\", not a whole number: AWS takes a whole number of minutes from 1")
}

test_bai049_frequency_unit_outside_the_list_fails if {
	[v] := listed(violations) with input as control_input("BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", {"requiredFrequencyUnit": "weeks", "requiredFrequencyValue": "1"})
	v.path == "reports.frameworks[0].controls[0].parameters.requiredFrequencyUnit"
	v.message == "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK in framework baseline: requiredFrequencyUnit is \"weeks\", which is not a unit AWS accepts: days or hours"
	v.fix == "set requiredFrequencyUnit to hours or days (lower case)"
}

test_bai049_capitalised_unit_fails if {
	[v] := listed(violations) with input as control_input("BACKUP_LAST_RECOVERY_POINT_CREATED", {"recoveryPointAgeUnit": "Days"})
	contains(v.message, "recoveryPointAgeUnit is \"Days\", which is not a unit AWS accepts")
}

test_bai049_range_depends_on_the_unit if {
	[hours] := listed(violations) with input as control_input("BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", {"requiredFrequencyUnit": "hours", "requiredFrequencyValue": "25"})
	contains(hours.message, "requiredFrequencyValue is 25, out of range: AWS takes a whole number of hours from 1 to 24 with requiredFrequencyUnit hours")

	# Without a unit AWS counts days: 25 is fine, 32 is not.
	count(violations) == 0 with input as control_input("BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", {"requiredFrequencyValue": "25"})
	[days] := listed(violations) with input as control_input("BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", {"requiredFrequencyValue": "32"})
	contains(days.message, "from 1 to 31 with requiredFrequencyUnit days")
}

test_bai049_recovery_point_age_limits if {
	[over] := listed(violations) with input as control_input("BACKUP_LAST_RECOVERY_POINT_CREATED", {"recoveryPointAgeUnit": "hours", "recoveryPointAgeValue": "745"})
	contains(over.message, "from 1 to 744")
	[short] := listed(violations) with input as control_input("RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT", {"recoveryPointAgeUnit": "hours", "recoveryPointAgeValue": "23"})
	contains(short.message, "recoveryPointAgeValue is 23, out of range: AWS takes a whole number of hours from 24 to 2184")
	[long] := listed(violations) with input as control_input("RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT", {"recoveryPointAgeValue": "92"})
	contains(long.message, "from 1 to 91 with recoveryPointAgeUnit days")
	count(violations) == 0 with input as control_input("RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT", {"recoveryPointAgeUnit": "hours", "recoveryPointAgeValue": "24"})
}

test_bai049_lists if {
	[six] := listed(violations) with input as control_input("BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT", {"crossAccountList": "111111111111,222222222222,333333333333,444444444444,555555555555,666666666666"})
	contains(six.message, "crossAccountList lists 6 accounts; AWS accepts at most 5")
	[bad] := listed(violations) with input as control_input("BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT", {"crossAccountList": "111122223333,1234,5678"})
	contains(bad.message, "crossAccountList has \"1234\", which is not a 12-digit account id")
	[region] := listed(violations) with input as control_input("BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", {"crossRegionList": "us-west-2,Frankfurt,Paris"})
	contains(region.message, "crossRegionList has \"Frankfurt\", which is not a Region name")
	[user] := listed(violations) with input as control_input("BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED", {"principalArnList": "arn:aws:iam::123456789012:user/alice"})
	contains(user.message, "principalArnList has \"arn:aws:iam::123456789012:user/alice\", which is not an IAM role ARN")
	roles := concat(",", [sprintf("arn:aws:iam::123456789012:role/r%d", [i]) | some i in numbers.range(1, 6)])
	[many] := listed(violations) with input as control_input("BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED", {"principalArnList": roles})
	contains(many.message, "principalArnList lists 6 roles; AWS accepts at most 5")
}

test_bai049_vault_lock_minimum_above_maximum_fails if {
	[v] := listed(violations) with input as control_input("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK", {"minRetentionDays": "30", "maxRetentionDays": "7"})
	v.path == "reports.frameworks[0].controls[0].parameters.minRetentionDays"
	contains(v.message, "minRetentionDays 30 is more than maxRetentionDays 7")
}
