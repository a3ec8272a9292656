# Plan-time assertions with a mocked provider: no AWS account needed.

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:111122223333:key/mock" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:eu-west-1:111122223333:mock" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mock" }
  }
  mock_resource "aws_efs_file_system" {
    defaults = { arn = "arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-mock" }
  }
  mock_resource "aws_wafv2_web_acl" {
    defaults = { arn = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/mock/1" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:111122223333:log-group:aws-waf-logs-mock" }
  }
  mock_resource "aws_acm_certificate" {
    defaults = {
      arn = "arn:aws:acm:eu-west-1:111122223333:certificate/mock"
    }
  }
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
