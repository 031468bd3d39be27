# BAI111: queues are encrypted at rest.
# The dead-letter queues hold failed S3 events (bucket and key names of reports); Security Hub SQS.1.
package backup_audit.terraform

import rego.v1

queue_encrypted(q) if q.sqs_managed_sse_enabled == true

queue_encrypted(q) if {
	is_string(q.kms_master_key_id)
	q.kms_master_key_id != ""
}

# rule BAI111: SQS queues are encrypted
violations contains v if {
	some [stack, id, q] in resources_of("aws_sqs_queue")
	not queue_encrypted(q)
	v := violation(
		stack, "aws_sqs_queue", id, "BAI111",
		sprintf("SQS queue %s has neither sqs_managed_sse_enabled nor kms_master_key_id", [id]),
		"set sqs_managed_sse_enabled = true (or a KMS key the producers may use)",
	)
}
