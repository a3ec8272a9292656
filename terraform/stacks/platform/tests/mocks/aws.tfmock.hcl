# Mock data of the aws provider shared by this stack's test files (mock_provider source = "./tests/mocks").

mock_data "aws_region" {
  defaults = { name = "eu-west-1" }
}
mock_data "aws_caller_identity" {
  defaults = { account_id = "111122223333" }
}
mock_data "aws_partition" {
  defaults = { partition = "aws" }
}
mock_data "aws_availability_zones" {
  defaults = { names = ["eu-west-1c", "eu-west-1a", "eu-west-1b", "eu-west-1d"] }
}
mock_data "aws_iam_policy_document" {
  defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}
mock_data "aws_secretsmanager_random_password" {
  defaults = { random_password = "MockAuthTokenMockAuthTokenMockAuthToken0123456789abcdefghijklmnop" }
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
  defaults = { arn = "arn:aws:logs:eu-west-1:111122223333:log-group:mock" }
}
mock_data "aws_vpc" {
  defaults = { cidr_block = "10.40.0.0/16" }
}
mock_data "aws_eks_addon_version" {
  defaults = { version = "v1.0.0-eksbuild.1" }
}
mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000" }
}
mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::111122223333:role/mock" }
}
mock_resource "aws_iam_openid_connect_provider" {
  defaults = { arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" }
}
mock_resource "aws_docdb_cluster" {
  defaults = {
    endpoint           = "chatbot-prod.cluster-mock.eu-west-1.docdb.amazonaws.com"
    master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!cluster-mock-AbCdEf", kms_key_id = "", secret_status = "active" }]
  }
}
mock_resource "aws_eks_cluster" {
  defaults = {
    identity = [{ oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" }] }]
  }
}
