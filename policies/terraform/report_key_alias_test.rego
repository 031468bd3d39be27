package backup_audit.terraform

import rego.v1

# BAI116 and a reports key created in another stack (issue 10's encryption.createKeys): the normaliser's grant
# names the account's keys of one Region, narrowed to the key's alias.

alias_grant(condition) := object.union(
	{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/*"},
	condition,
)

test_bai116_key_by_alias_passes if {
	st := alias_grant({"Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/acme-prod-backup-reports"}}})
	vs := violations with input as stack_with(normaliser([st]))
	count(by_id(vs, "BAI116")) == 0
}

test_bai116_any_key_of_the_account_fails if {
	vs := violations with input as stack_with(normaliser([alias_grant({})]))
	msgs := {v.message | some v in by_id(vs, "BAI116")}
	msgs == {
		"the report normaliser's role allows kms:decrypt on arn:aws:kms:us-east-1:111122223333:key/*, not a key ARN",
		"the report normaliser's role allows kms:generatedatakey on arn:aws:kms:us-east-1:111122223333:key/*, not a key ARN",
	}
}
