# Stack wiring with mocked providers (management, security, log archive): the organisation-level
# services land in the accounts their provider aliases assume a role in, get the approved regions,
# and the inventory's account map is checked. The per-account baseline is stacks/account_baseline.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:111111111111:key/alerts" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/cloudtrail/chatbot-org-trail" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/chatbot-org-cloudtrail-logs" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:111111111111:chatbot-org-security-alerts" }
  }
}

mock_provider "aws" {
  alias = "security"

  mock_data "aws_caller_identity" {
    defaults = { account_id = "555555555555" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::555555555555:role/chatbot-org-config-aggregator" }
  }
  mock_resource "aws_securityhub_configuration_policy" {
    defaults = { id = "a1b2c3d4-5678-90ab-cdef-111111111111" }
  }
}

mock_provider "aws" {
  alias = "log_archive"

  mock_data "aws_caller_identity" {
    defaults = { account_id = "666666666666" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:666666666666:key/logs" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  name                   = "chatbot"
  environment            = "management"
  region                 = "eu-west-1"
  approved_regions       = ["eu-west-1", "eu-central-1"]
  organization_id        = "o-abcdef1234"
  organization_root_id   = "r-ab12"
  cloudtrail_bucket_name = "chatbot-example-org-cloudtrail"
  config_bucket_name     = "chatbot-example-org-config"
  access_log_bucket_name = "chatbot-example-org-access-logs"
  account_ids = {
    management      = "111111111111"
    security        = "555555555555"
    log_archive     = "666666666666"
    shared_services = "777777777777"
    sandbox         = "888888888888"
    dev             = "222222222222"
    staging         = "333333333333"
    prod            = "444444444444"
  }
}

run "organisation_services_land_in_the_security_and_log_archive_accounts" {
  command = apply

  assert {
    condition     = local.account_role_arns == { security = "arn:aws:iam::555555555555:role/OrganizationAccountAccessRole", log_archive = "arn:aws:iam::666666666666:role/OrganizationAccountAccessRole" }
    error_message = "Only the security and log archive accounts are reached through OrganizationAccountAccessRole."
  }

  assert {
    condition     = output.log_key_arn == "arn:aws:kms:eu-west-1:666666666666:key/logs" && output.log_buckets.config == "chatbot-example-org-config"
    error_message = "The Config bucket and its key live in the log archive account (the per-account stack delivers there)."
  }

  assert {
    condition     = output.config_aggregator_arn != null && module.security_baseline.guardduty_detector_id != null
    error_message = "The aggregator and the GuardDuty detector are in the security account."
  }

  assert {
    condition     = output.securityhub_standard_arns == ["arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0", "arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/3.0.0"]
    error_message = "null standards keep AWS Foundational and CIS 3.0."
  }

  assert {
    condition     = module.security_baseline.trail_arn != null && module.security_baseline.alarm_names["break_glass_sign_in"] == "chatbot-org-break-glass-sign-in"
    error_message = "The trail and the break-glass alarm must exist, named after the platform."
  }
}

run "the_organisation_level_accounts_must_be_listed" {
  command = plan

  variables {
    account_ids = {
      management = "111111111111"
      security   = "555555555555"
    }
  }

  expect_failures = [var.account_ids]
}
