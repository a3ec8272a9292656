# Plan/apply against mocked providers (management, security, log archive): what the organisation
# trail, the log archive policies, GuardDuty, Security Hub, Config and Access Analyzer are set to,
# and that every service write is pinned to the trail or to the organisation's own accounts.

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
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::555555555555:role/chatbot-org-config-aggregator" }
  }
  mock_resource "aws_guardduty_detector" {
    defaults = { id = "12abc34d567e8fa901bc2d34e56789f0" }
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
    defaults = { arn = "arn:aws:kms:eu-west-1:666666666666:key/logs" }
  }
}

variables {
  name                      = "chatbot-org"
  organization_id           = "o-abcdef1234"
  organization_root_id      = "r-ab12"
  member_account_ids        = ["555555555555", "666666666666", "222222222222"]
  cloudtrail_bucket_name    = "chatbot-example-org-cloudtrail"
  config_bucket_name        = "chatbot-example-org-config"
  access_log_bucket_name    = "chatbot-example-org-access-logs"
  config_aggregator_regions = ["eu-west-1", "eu-central-1"]
}

run "organization_trail_covers_every_account_and_region" {
  command = apply

  assert {
    condition = (
      aws_cloudtrail.organization.is_organization_trail &&
      aws_cloudtrail.organization.is_multi_region_trail &&
      aws_cloudtrail.organization.include_global_service_events &&
      aws_cloudtrail.organization.enable_log_file_validation &&
      aws_cloudtrail.organization.enable_logging
    )
    error_message = "The trail must be an organisation trail in every region, with global events and log file validation."
  }

  assert {
    condition     = aws_cloudtrail.organization.kms_key_id == "arn:aws:kms:eu-west-1:666666666666:key/logs" && aws_cloudtrail.organization.s3_bucket_name == "chatbot-example-org-cloudtrail"
    error_message = "The trail must write into the log archive bucket, encrypted with the log archive key."
  }

  assert {
    condition     = local.trail_arn == "arn:aws:cloudtrail:eu-west-1:111111111111:trail/chatbot-org-trail"
    error_message = "Policies must name the trail in the management account."
  }

  assert {
    condition     = aws_cloudtrail.organization.cloud_watch_logs_group_arn == "${aws_cloudwatch_log_group.trail.arn}:*" && aws_cloudwatch_log_group.trail.retention_in_days == 365 && aws_cloudwatch_log_group.trail.kms_key_id == "arn:aws:kms:eu-west-1:111111111111:key/alerts"
    error_message = "The trail's events must reach the encrypted log group the alarms read, kept a year."
  }
}

run "log_key_is_used_only_by_the_trail_config_and_security_readers" {
  command = plan

  assert {
    condition = alltrue([
      for s in local.log_key_policy.Statement : s.Effect == "Allow" && (
        s.Principal == { Service = "cloudtrail.amazonaws.com" } && lookup(s.Condition.StringEquals, "aws:SourceArn", null) == local.trail_arn ||
        s.Principal == { Service = "config.amazonaws.com" } && lookup(s.Condition.StringEquals, "aws:SourceAccount", null) == tolist(["111111111111", "222222222222", "555555555555", "666666666666"]) ||
        s.Principal == { AWS = "arn:aws:iam::555555555555:root" } && lookup(s.Condition.StringEquals, "kms:ViaService", null) == "s3.eu-west-1.amazonaws.com"
      )
    ])
    error_message = "Every key policy grant must be pinned: CloudTrail to the trail, Config to the organisation's accounts, the security account to reads through S3."
  }

  assert {
    condition     = one([for s in local.log_key_policy.Statement : s.Condition.StringLike["kms:EncryptionContext:aws:cloudtrail:arn"] if s.Sid == "CloudTrailEncryptsTheOrganizationTrail"]) == "arn:aws:cloudtrail:*:111111111111:trail/*"
    error_message = "CloudTrail may only encrypt for trails of the management account."
  }
}

run "cloudtrail_bucket_takes_only_the_trail" {
  command = plan

  assert {
    condition = toset(flatten([for s in local.cloudtrail_bucket_policy.Statement : s.Resource if s.Action == "s3:PutObject"])) == toset([
      "arn:aws:s3:::chatbot-example-org-cloudtrail/AWSLogs/111111111111/*",
      "arn:aws:s3:::chatbot-example-org-cloudtrail/AWSLogs/o-abcdef1234/*",
    ])
    error_message = "CloudTrail writes the management account's and the organisation's logs, nothing else."
  }

  assert {
    condition     = alltrue([for s in local.cloudtrail_bucket_policy.Statement : s.Principal == { Service = "cloudtrail.amazonaws.com" } && s.Condition.StringEquals["aws:SourceArn"] == local.trail_arn])
    error_message = "Every bucket grant must be for CloudTrail on behalf of the organisation trail only."
  }

  assert {
    condition     = one([for s in local.cloudtrail_bucket_policy.Statement : s.Condition.StringEquals["s3:x-amz-acl"] if s.Action == "s3:PutObject"]) == "bucket-owner-full-control"
    error_message = "Log objects must be written owned by the log archive account."
  }
}

run "config_bucket_gives_each_account_its_own_prefix" {
  command = plan

  assert {
    condition = {
      for s in local.config_bucket_policy.Statement : s.Condition.StringEquals["aws:SourceAccount"] => s.Resource if s.Action == "s3:PutObject"
      } == {
      "111111111111" = "arn:aws:s3:::chatbot-example-org-config/AWSLogs/111111111111/Config/*"
      "222222222222" = "arn:aws:s3:::chatbot-example-org-config/AWSLogs/222222222222/Config/*"
      "555555555555" = "arn:aws:s3:::chatbot-example-org-config/AWSLogs/555555555555/Config/*"
      "666666666666" = "arn:aws:s3:::chatbot-example-org-config/AWSLogs/666666666666/Config/*"
    }
    error_message = "Each account's Config (management included) may write under its own prefix only."
  }

  assert {
    condition     = alltrue([for s in local.config_bucket_policy.Statement : s.Principal == { Service = "config.amazonaws.com" }])
    error_message = "The Config bucket grants only the Config service."
  }
}

run "guardduty_auto_enables_the_protection_plans_everywhere" {
  command = plan

  assert {
    condition     = aws_guardduty_detector.this.enable && aws_guardduty_organization_configuration.this[0].auto_enable_organization_members == "ALL"
    error_message = "GuardDuty must run in the administrator and be auto-enabled for every member, existing and new."
  }

  assert {
    condition     = toset(keys(aws_guardduty_organization_configuration_feature.this)) == toset(["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "RUNTIME_MONITORING"]) && alltrue([for f in aws_guardduty_organization_configuration_feature.this : f.auto_enable == "ALL"])
    error_message = "S3 protection, EKS audit logs and runtime monitoring must be auto-enabled for all members."
  }

  assert {
    condition     = [for c in aws_guardduty_organization_configuration_feature.this["RUNTIME_MONITORING"].additional_configuration : "${c.name}=${c.auto_enable}"] == ["EKS_ADDON_MANAGEMENT=ALL"]
    error_message = "Runtime monitoring must manage the EKS agent add-on."
  }

  assert {
    condition     = alltrue([for f in aws_guardduty_detector_feature.this : f.status == "ENABLED"]) && length(aws_guardduty_detector_feature.this) == 3
    error_message = "The administrator's own detector must have the same plans."
  }
}

run "security_hub_standards_through_central_configuration" {
  command = apply

  variables {
    securityhub_linked_regions = ["eu-central-1"]
  }

  assert {
    condition = aws_securityhub_configuration_policy.this[0].configuration_policy[0].enabled_standard_arns == toset([
      "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0",
      "arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/3.0.0",
    ]) && aws_securityhub_configuration_policy.this[0].configuration_policy[0].service_enabled
    error_message = "The configuration policy must switch Security Hub on with AWS Foundational and CIS 3.0."
  }

  assert {
    condition     = aws_securityhub_configuration_policy_association.root[0].target_id == "r-ab12" && aws_securityhub_configuration_policy_association.root[0].policy_id == "a1b2c3d4-5678-90ab-cdef-111111111111"
    error_message = "The policy must be associated with the organisation root so every account gets it."
  }

  assert {
    condition     = aws_securityhub_organization_configuration.this[0].organization_configuration[0].configuration_type == "CENTRAL" && aws_securityhub_organization_configuration.this[0].auto_enable == false
    error_message = "Security Hub must use central configuration (auto-enable is replaced by the policy)."
  }

  assert {
    condition     = aws_securityhub_finding_aggregator.this[0].linking_mode == "SPECIFIED_REGIONS" && aws_securityhub_finding_aggregator.this[0].specified_regions == toset(["eu-central-1"])
    error_message = "Findings of the linked regions must aggregate into the home region."
  }

  assert {
    condition     = aws_securityhub_account.this[0].enable_default_standards == false && aws_securityhub_account.this[0].control_finding_generator == "SECURITY_CONTROL"
    error_message = "Standards come from the policy, with consolidated control findings."
  }
}

run "config_aggregator_and_access_analyzer_in_the_security_account" {
  command = apply

  assert {
    condition     = aws_config_configuration_aggregator.organization.organization_aggregation_source[0].regions == tolist(["eu-west-1", "eu-central-1"]) && aws_config_configuration_aggregator.organization.organization_aggregation_source[0].role_arn == "arn:aws:iam::555555555555:role/chatbot-org-config-aggregator"
    error_message = "The aggregator must read the organisation in the approved regions through its role."
  }

  assert {
    condition     = aws_iam_role_policy_attachment.config_aggregator.policy_arn == "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"
    error_message = "The aggregator role needs AWS's organisation read policy, nothing broader."
  }

  assert {
    condition     = aws_accessanalyzer_analyzer.organization[0].type == "ORGANIZATION" && length(aws_accessanalyzer_analyzer.unused) == 0
    error_message = "One organisation-wide external access analyzer; the priced unused-access one stays off by default."
  }
}

run "alarms_page_on_break_glass_and_root_use" {
  command = apply

  variables {
    alarm_email_addresses = ["security-oncall@example.com"]
  }

  assert {
    condition     = strcontains(aws_cloudwatch_log_metric_filter.security["break_glass_sign_in"].pattern, "AWSReservedSSO_BreakGlass_") && strcontains(aws_cloudwatch_log_metric_filter.security["break_glass_sign_in"].pattern, "AssumeRoleWithSAML")
    error_message = "A sign-in through the BreakGlass permission set (its SAML role assumption) must be matched."
  }

  assert {
    condition     = strcontains(aws_cloudwatch_log_metric_filter.security["root_user_activity"].pattern, "$.userIdentity.type = \"Root\"")
    error_message = "Root user activity must be matched."
  }

  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.security : a.alarm_actions == toset(["arn:aws:sns:eu-west-1:111111111111:chatbot-org-security-alerts"]) && a.threshold == 1 && a.treat_missing_data == "notBreaching"])
    error_message = "Every alarm must fire on the first event and notify the security topic."
  }

  assert {
    condition     = aws_sns_topic.security_alerts.kms_master_key_id == "arn:aws:kms:eu-west-1:111111111111:key/alerts" && aws_sns_topic_subscription.email["security-oncall@example.com"].protocol == "email"
    error_message = "The alerts topic must be encrypted and mail the listed addresses."
  }
}

run "switches_for_emulators_and_smaller_estates" {
  command = plan

  variables {
    enable_guardduty_organization            = false
    enable_securityhub                       = false
    enable_securityhub_central_configuration = false
    enable_access_analyzer                   = false
    enable_unused_access_analyzer            = true
  }

  assert {
    condition = (
      length(aws_guardduty_organization_configuration.this) == 0 && length(aws_guardduty_organization_configuration_feature.this) == 0 &&
      length(aws_securityhub_account.this) == 0 && length(aws_securityhub_configuration_policy.this) == 0 && length(aws_securityhub_finding_aggregator.this) == 0 &&
      length(aws_accessanalyzer_analyzer.organization) == 0 && aws_accessanalyzer_analyzer.unused[0].type == "ORGANIZATION_UNUSED_ACCESS"
    )
    error_message = "Each organisation-wide service must follow its switch."
  }
}

run "central_configuration_needs_security_hub" {
  command = plan

  variables {
    enable_securityhub = false
  }

  expect_failures = [var.enable_securityhub_central_configuration]
}

run "short_log_retention_refused" {
  command = plan

  variables {
    log_expiration_days = 30
  }

  expect_failures = [var.log_expiration_days]
}

run "organization_id_checked" {
  command = plan

  variables {
    organization_id = "123456789012"
  }

  expect_failures = [var.organization_id]
}
