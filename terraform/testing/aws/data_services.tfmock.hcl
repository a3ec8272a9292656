# Mock defaults shared by the terraform tests of the data-service modules (kms_key, queue, bucket,
# redis, efs, app_secrets, edge) and of the platform stack that composes them:
# `mock_provider "aws" { source = "../../testing/aws" }`. Known ARNs and ids let plan-time assertions
# compare them; cluster.tfmock.hcl adds what only the platform stack reads.

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
mock_data "aws_secretsmanager_random_password" {
  defaults = { random_password = "MockAuthTokenMockAuthTokenMockAuthToken0123456789abcdefghijklmnop" }
}
mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000" }
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
mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:eu-west-1:111122223333:mock" }
}
