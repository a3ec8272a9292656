# Plan-time assertions with a mocked provider: no AWS account needed.

mock_provider "aws" {
  # Shared defaults of the data-service modules (ARNs, account, region, policy JSON).
  source = "../../testing/aws"
}

variables {
  name        = "chatbot-test-data"
  description = "test"
}

run "rotating_key_with_alias" {
  command = plan

  assert {
    condition     = aws_kms_key.this.enable_key_rotation && aws_kms_key.this.deletion_window_in_days == 30
    error_message = "The key must rotate and keep the 30-day deletion window."
  }

  assert {
    condition     = aws_kms_alias.this.name == "alias/chatbot-test-data"
    error_message = "Alias must be alias/<name>."
  }

  assert {
    condition     = length(data.aws_iam_policy_document.this.statement) == 1
    error_message = "Without log groups the policy grants only the account root."
  }
}

run "logs_limited_to_given_groups" {
  command = plan

  variables {
    cloudwatch_log_group_arns = ["arn:aws:logs:eu-west-1:111122223333:log-group:aws-waf-logs-x:*"]
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.this.statement : anytrue([
        for c in s.condition : c.test == "ArnLike" && c.variable == "kms:EncryptionContext:aws:logs:arn" && contains(c.values, "arn:aws:logs:eu-west-1:111122223333:log-group:aws-waf-logs-x:*") && length(c.values) == 1
      ]) if s.sid == "CloudWatchLogsOfTheseGroups"
    ])
    error_message = "CloudWatch Logs may use the key only for the given log groups."
  }
}

run "aws_prefixed_alias_refused" {
  command = plan

  variables {
    name = "aws/s3"
  }

  expect_failures = [var.name]
}

run "service_statements_are_merged" {
  command = plan

  variables {
    policy_documents = [jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Sid = "CloudTrailEncrypt", Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "kms:GenerateDataKey*", Resource = "*" }]
    })]
  }

  assert {
    condition     = data.aws_iam_policy_document.this.source_policy_documents == var.policy_documents && length(data.aws_iam_policy_document.this.statement) == 1
    error_message = "Extra key policy documents must be merged next to the account root statement."
  }
}
