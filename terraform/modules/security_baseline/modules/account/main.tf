# The baseline every account gets, applied from the management account through the account's
# OrganizationAccountAccessRole: IAM password policy, S3 account-level public access block, EBS
# encryption by default and an AWS Config recorder that delivers to the central bucket.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

resource "aws_iam_account_password_policy" "this" {
  minimum_password_length        = var.password_minimum_length
  password_reuse_prevention      = var.password_reuse_prevention
  max_password_age               = var.password_max_age_days
  require_symbols                = true
  require_numbers                = true
  require_uppercase_characters   = true
  require_lowercase_characters   = true
  allow_users_to_change_password = true
}

resource "aws_s3_account_public_access_block" "this" {
  count = var.enable_s3_public_access_block ? 1 : 0

  account_id              = data.aws_caller_identity.current.account_id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_ebs_encryption_by_default" "this" {
  count   = var.enable_ebs_encryption_by_default ? 1 : 0
  enabled = true
}

resource "aws_iam_service_linked_role" "config" {
  count            = var.create_config_service_linked_role ? 1 : 0
  aws_service_name = "config.amazonaws.com"
}

locals {
  # The service-linked role's name and path are fixed by AWS, whether created here or earlier.
  config_role_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
}

resource "aws_config_configuration_recorder" "this" {
  name     = "default"
  role_arn = local.config_role_arn

  recording_group {
    all_supported                 = true
    include_global_resource_types = var.config_include_global_resource_types
  }

  recording_mode {
    recording_frequency = var.config_recording_frequency
  }

  depends_on = [aws_iam_service_linked_role.config]
}

resource "aws_config_delivery_channel" "this" {
  name           = "default"
  s3_bucket_name = var.config_bucket_name
  s3_kms_key_arn = var.config_kms_key_arn

  snapshot_delivery_properties {
    delivery_frequency = "TwentyFour_Hours"
  }

  depends_on = [aws_config_configuration_recorder.this]
}

resource "aws_config_configuration_recorder_status" "this" {
  name       = aws_config_configuration_recorder.this.name
  is_enabled = true

  depends_on = [aws_config_delivery_channel.this]
}
