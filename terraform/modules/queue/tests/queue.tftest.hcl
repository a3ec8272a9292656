# Plan-time assertions with a mocked provider: no AWS account needed.

mock_provider "aws" {
  # Shared defaults of the data-service modules (ARNs, account, region, policy JSON).
  source = "../../testing/aws"
}

variables {
  name        = "chatbot-test-backend"
  kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/data"
}

run "queue_with_dead_letter_queue" {
  command = apply

  assert {
    condition     = aws_sqs_queue.dlq.name == "chatbot-test-backend-dlq" && aws_sqs_queue.dlq.message_retention_seconds == 1209600
    error_message = "The DLQ is <name>-dlq and keeps messages 14 days."
  }

  assert {
    condition     = jsondecode(aws_sqs_queue.this.redrive_policy).maxReceiveCount == 5 && jsondecode(aws_sqs_queue.this.redrive_policy).deadLetterTargetArn == aws_sqs_queue.dlq.arn
    error_message = "Messages must move to the DLQ after max_receive_count receives."
  }

  assert {
    condition     = jsondecode(aws_sqs_queue_redrive_allow_policy.dlq[0].redrive_allow_policy).redrivePermission == "byQueue"
    error_message = "Only this queue may use the DLQ."
  }

  assert {
    condition     = aws_sqs_queue.this.kms_master_key_id == var.kms_key_arn && aws_sqs_queue.dlq.kms_master_key_id == var.kms_key_arn
    error_message = "Both queues must be encrypted with the customer managed key."
  }

  assert {
    condition = alltrue([for d in data.aws_iam_policy_document.tls_only : anytrue([
      for s in d.statement : s.effect == "Deny" && contains(flatten([for c in s.condition : c.values if c.variable == "aws:SecureTransport"]), "false")
    ])])
    error_message = "Both queue policies must deny requests without TLS."
  }
}

run "receive_count_validated" {
  command = plan

  variables {
    max_receive_count = 0
  }

  expect_failures = [var.max_receive_count]
}

run "dlq_source_restriction_can_be_dropped_for_emulators" {
  command = plan

  variables {
    restrict_dlq_sources = false
  }

  assert {
    condition     = length(aws_sqs_queue_redrive_allow_policy.dlq) == 0 && jsondecode(aws_sqs_queue.this.redrive_policy).maxReceiveCount == var.max_receive_count
    error_message = "Without the allow policy the redrive policy still sends failures to the DLQ."
  }
}
