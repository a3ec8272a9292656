# Plan-time assertions with a mocked provider: the per-account baseline.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "222222222222" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  config_bucket_name = "chatbot-example-org-config"
  config_kms_key_arn = "arn:aws:kms:eu-west-1:666666666666:key/logs"
}

run "cis_password_policy_public_access_block_and_ebs_encryption" {
  command = plan

  assert {
    condition = (
      aws_iam_account_password_policy.this.minimum_password_length == 14 &&
      aws_iam_account_password_policy.this.password_reuse_prevention == 24 &&
      aws_iam_account_password_policy.this.require_symbols && aws_iam_account_password_policy.this.require_numbers &&
      aws_iam_account_password_policy.this.require_uppercase_characters && aws_iam_account_password_policy.this.require_lowercase_characters
    )
    error_message = "The password policy must meet CIS (length 14, reuse 24, every character class)."
  }

  assert {
    condition = (
      aws_s3_account_public_access_block.this[0].block_public_acls && aws_s3_account_public_access_block.this[0].block_public_policy &&
      aws_s3_account_public_access_block.this[0].ignore_public_acls && aws_s3_account_public_access_block.this[0].restrict_public_buckets &&
      aws_s3_account_public_access_block.this[0].account_id == "222222222222"
    )
    error_message = "All four S3 public access block settings must be on for the account."
  }

  assert {
    condition     = aws_ebs_encryption_by_default.this[0].enabled
    error_message = "EBS encryption by default must be on."
  }
}

run "config_records_everything_into_the_central_bucket" {
  command = apply

  assert {
    condition     = aws_config_configuration_recorder.this.recording_group[0].all_supported && aws_config_configuration_recorder.this.recording_group[0].include_global_resource_types && aws_config_configuration_recorder.this.recording_mode[0].recording_frequency == "CONTINUOUS"
    error_message = "The recorder must record every supported resource, global ones included, continuously."
  }

  assert {
    condition     = aws_config_delivery_channel.this.s3_bucket_name == "chatbot-example-org-config" && aws_config_delivery_channel.this.s3_kms_key_arn == "arn:aws:kms:eu-west-1:666666666666:key/logs"
    error_message = "Config must deliver to the central bucket with the log archive key."
  }

  assert {
    condition     = aws_config_configuration_recorder_status.this.is_enabled && aws_config_configuration_recorder.this.role_arn == "arn:aws:iam::222222222222:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
    error_message = "The recorder must be started and use the Config service-linked role."
  }
}

run "existing_service_linked_role_and_daily_recording" {
  command = plan

  variables {
    create_config_service_linked_role = false
    config_recording_frequency        = "DAILY"
    enable_s3_public_access_block     = false
  }

  assert {
    condition     = length(aws_iam_service_linked_role.config) == 0 && aws_config_configuration_recorder.this.role_arn == "arn:aws:iam::222222222222:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
    error_message = "Without creating it, the recorder must use the account's existing service-linked role."
  }

  assert {
    condition     = aws_config_configuration_recorder.this.recording_mode[0].recording_frequency == "DAILY" && length(aws_s3_account_public_access_block.this) == 0
    error_message = "Recording frequency and the public access block must follow their inputs."
  }
}

run "weak_password_policy_refused" {
  command = plan

  variables {
    password_minimum_length = 8
    password_max_age_days   = 365
  }

  expect_failures = [var.password_minimum_length, var.password_max_age_days]
}
