# The baseline of one account of the estate (IAM password policy, S3 account-level public access
# block, EBS encryption by default, a Config recorder delivering to the central Config bucket), applied
# by playbooks/accounts.yml once per account after the security stack, which owns the central bucket
# and key. Adding an account to the organisation inventory adds one more run; no code changes.

locals {
  tags = merge(var.tags, {
    "platform:name"        = var.name
    "platform:environment" = var.environment
    "platform:stack"       = "account_baseline"
    "platform:account"     = var.account_key
    "platform:managed-by"  = "terraform"
  })

  recording_frequency = contains(var.config_daily_accounts, var.account_key) ? "DAILY" : "CONTINUOUS"
  adopt               = contains(var.import_accounts, var.account_key)
}

# Stops the run before anything is written when the credentials or the assumed role land in another
# account than the one this state belongs to.
data "aws_caller_identity" "current" {
  lifecycle {
    postcondition {
      condition     = self.account_id == var.account_id
      error_message = "The provider reached account ${self.account_id}, not ${var.account_key} (${var.account_id}): check account_id and the role assumed."
    }
  }
}

module "baseline" {
  source = "../../modules/security_baseline/modules/account"

  config_bucket_name                = var.config_bucket_name
  config_kms_key_arn                = var.config_kms_key_arn
  config_recording_frequency        = local.recording_frequency
  password_minimum_length           = var.password_minimum_length
  password_reuse_prevention         = var.password_reuse_prevention
  password_max_age_days             = var.password_max_age_days
  enable_s3_public_access_block     = var.enable_s3_public_access_block
  enable_ebs_encryption_by_default  = var.enable_ebs_encryption_by_default
  create_config_service_linked_role = var.create_config_service_linked_role

  depends_on = [data.aws_caller_identity.current]
}
