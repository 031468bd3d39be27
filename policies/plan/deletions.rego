# BAI201-BAI209: a routine merge never deletes the audit trail. A renamed bucket, a renamed report plan, a dropped
# template or a moved construct becomes a delete (or a delete-and-create) in the plan: the reports bucket with
# years of audit evidence, the report plans, the trail and its buckets, the frameworks StackSet, the Glue database
# or a KMS key would be gone after `terraform apply`. Resources are recognised by type, never by address: cdktf
# addresses change with construct paths, and a deletion is exactly the moment an address is not to be trusted.
package backup_audit.plan

import rego.v1

# rule BAI201: S3 buckets that hold audit evidence or access logs are not deleted or replaced
deny contains f if {
	some c in changes_of("aws_s3_bucket")
	removes(c.rc)
	not results_bucket(c.plan, before(c.rc).bucket)
	f := finding(
		c, "BAI201",
		sprintf("%s: its objects (report CSVs, normalised copies, trail logs or access logs kept as audit evidence) would be deleted with it, and a deleted bucket's name can be taken by anyone", [removal(c.rc, "S3 bucket", "bucket")]),
		"keep the bucket: undo the rename, or keep its Terraform address with a `moved` block or `terraform state mv` when only the construct path changed; if the deletion is intended, copy the objects elsewhere first and add a waiver",
	)
}

# rule BAI202: Report plans are not deleted or replaced
deny contains f if {
	some c in changes_of("aws_backup_report_plan")
	removes(c.rc)
	f := finding(
		c, "BAI202",
		sprintf("%s: AWS Backup stops delivering its daily reports, and a plan created under another name starts a new series in another key prefix", [removal(c.rc, "report plan", "name")]),
		"keep the plan's name (reports.overrides.<TEMPLATE>.name) and its template in reports.templates; if dropping or renaming it is intended, add a waiver",
	)
}

# rule BAI203: The CloudTrail trail is not deleted or replaced
deny contains f if {
	some c in changes_of("aws_cloudtrail")
	removes(c.rc)
	f := finding(
		c, "BAI203",
		sprintf("%s: AWS Backup's API calls are not recorded from then on, and a re-created trail starts a new digest chain", [removal(c.rc, "CloudTrail trail", "name")]),
		"keep the trail's name (auditTrail.name) and its stack; if the deletion is intended, add a waiver",
	)
}

# rule BAI204: The frameworks StackSet and its stack instances are not deleted or replaced
deny contains f if {
	some type in ["aws_cloudformation_stack_set", "aws_cloudformation_stack_set_instance"]
	some c in changes_of(type)
	removes(c.rc)
	f := finding(
		c, "BAI204",
		sprintf("%s: CloudFormation deletes the AWS Backup frameworks it deployed in the member accounts, and with them the control evaluations the organization's compliance reports aggregate", [removal(c.rc, stack_set_kind(type), stack_set_key(c.rc))]),
		"keep reports.memberFrameworks (its stackSetName and regions) as they are; if removing the frameworks is intended, add a waiver",
	)
}

stack_set_kind("aws_cloudformation_stack_set") := "frameworks StackSet"

stack_set_kind("aws_cloudformation_stack_set_instance") := "stack instance of the frameworks StackSet in Region"

stack_set_key(rc) := "name" if rc.type == "aws_cloudformation_stack_set"

stack_set_key(rc) := "stack_set_instance_region" if rc.type == "aws_cloudformation_stack_set_instance"

# rule BAI209: The frameworks StackSet's template keeps every framework it deployed
# The template names each framework by position (Framework0, Framework1, ...): dropping or reordering frameworks
# makes CloudFormation delete or replace (FrameworkName forces replacement) frameworks in every member account.
deny contains f if {
	some c in changes_of("aws_cloudformation_stack_set")
	not removes(c.rc)
	"update" in c.rc.change.actions
	gone := sort([concat("", [name, " (", id, ")"]) |
		some [id, name] in template_frameworks(before(c.rc))
		not kept_framework(c.rc, id, name)
	])
	count(gone) > 0
	f := finding(
		c, "BAI209",
		sprintf("the plan changes the template of frameworks StackSet %s so that it no longer deploys framework %s%s: CloudFormation deletes or replaces it in every member account, and its control evaluations start again", [old_name(c.rc, "name"), concat(", ", gone), unknown_note(c.rc, ["template_body"])]),
		"keep reports.frameworks in its order and with its names (add new frameworks at the end); if removing or renaming a framework is intended, add a waiver",
	)
}

# [logical id, FrameworkName] of the AWS::Backup::Framework resources of a StackSet's template (JSON).
template_frameworks(obj) := {[id, name] |
	is_string(obj.template_body)
	json.is_valid(obj.template_body)
	some id, resource in object.get(json.unmarshal(obj.template_body), "Resources", {})
	resource.Type == "AWS::Backup::Framework"
	name := object.get(object.get(resource, "Properties", {}), "FrameworkName", id)
}

kept_framework(rc, id, name) if [id, name] in template_frameworks(after(rc))

# rule BAI205: The Glue database is not deleted or replaced
deny contains f if {
	some c in changes_of("aws_glue_catalog_database")
	removes(c.rc)
	f := finding(
		c, "BAI205",
		sprintf("%s: its report tables go with it, and every named query and dashboard over them fails until they are re-created", [removal(c.rc, "Glue database", "name")]),
		"keep analytics.databaseName; if the deletion is intended, add a waiver",
	)
}

# rule BAI206: KMS keys are not scheduled for deletion, replaced or disabled
deny contains f if {
	some c in changes_of("aws_kms_key")
	removes(c.rc)
	f := finding(
		c, "BAI206",
		sprintf("%s: deleting a KMS key schedules its deletion, after which everything encrypted under it (reports, normalised copies, query results, trail logs) can never be decrypted", [removal(c.rc, "KMS key", "description")]),
		"keep the key (encryption.createKeys and the key's construct); if it must go, re-encrypt the data under another key first and add a waiver",
	)
}

deny contains f if {
	some c in changes_of("aws_kms_key")
	not removes(c.rc)
	"update" in c.rc.change.actions
	before(c.rc).is_enabled == true
	not after(c.rc).is_enabled == true
	f := finding(
		c, "BAI206",
		sprintf("the plan disables KMS key %s%s: nothing encrypted under it can be read or written while it is disabled", [old_name(c.rc, "description"), unknown_note(c.rc, ["is_enabled"])]),
		"keep is_enabled = true; if the key must be disabled, add a waiver",
	)
}

# " (is_enabled is known only after apply)" when that is why the check fails.
unknown_note(rc, path) := sprintf(" (%s is known only after apply, so the plan cannot show it is kept)", [concat(".", [sprintf("%v", [p]) | some p in path])]) if {
	unknown_at(rc, path)
} else := ""

# rule BAI207: The organization is not deleted or replaced
deny contains f if {
	some c in changes_of("aws_organizations_organization")
	removes(c.rc)
	f := finding(
		c, "BAI207",
		sprintf("%s: destroying aws_organizations_organization deletes the AWS Organization itself (Terraform's prevent_destroy no longer applies once the resource leaves the configuration)", [removal(c.rc, "organization", "id")]),
		"keep organization.manageTrustedAccess as it was; to stop managing trusted access without deleting the organization, use a `removed` block with `destroy = false` or `terraform state rm` first",
	)
}

# rule BAI208: Plans completed without errors
deny contains f if {
	some p in input.plans
	p.plan.errored == true
	f := {
		"id": "BAI208",
		"file": p.file,
		"stack": p.stack,
		"address": "",
		"path": "errored",
		"actions": [],
		"message": "the plan is marked errored: Terraform stopped planning part-way, so it does not show every change it would make",
		"fix": "fix the errors `terraform plan` printed and plan again",
	}
}
