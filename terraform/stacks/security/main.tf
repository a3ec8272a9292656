# The organisation's central security and logging, run from the management account after the
# organization stack: the organisation trail into the log archive, GuardDuty, Security Hub, the
# Config aggregator and Access Analyzer in the security account (their delegated administrator),
# security alarms, and the same account baseline in every account of the estate.

locals {
  tags = merge(var.tags, {
    "platform:name"        = var.name
    "platform:environment" = var.environment
    "platform:stack"       = "security"
    "platform:managed-by"  = "terraform"
  })

  baseline = {
    config_bucket_name                = module.security_baseline.config_bucket_name
    config_kms_key_arn                = module.security_baseline.log_key_arn
    password_minimum_length           = var.baseline_password_minimum_length
    password_reuse_prevention         = var.baseline_password_reuse_prevention
    password_max_age_days             = var.baseline_password_max_age_days
    enable_s3_public_access_block     = var.baseline_enable_s3_public_access_block
    enable_ebs_encryption_by_default  = var.baseline_enable_ebs_encryption_by_default
    create_config_service_linked_role = var.baseline_create_config_service_linked_role
  }
  recording_frequency = { for k in keys(var.account_ids) : k => contains(var.baseline_config_daily_accounts, k) ? "DAILY" : "CONTINUOUS" }
}

module "security_baseline" {
  source = "../../modules/security_baseline"
  providers = {
    aws             = aws
    aws.security    = aws.security
    aws.log_archive = aws.log_archive
  }

  name                                     = "${var.name}-org"
  organization_id                          = var.organization_id
  organization_root_id                     = var.organization_root_id
  member_account_ids                       = values(var.account_ids)
  cloudtrail_bucket_name                   = var.cloudtrail_bucket_name
  config_bucket_name                       = var.config_bucket_name
  access_log_bucket_name                   = var.access_log_bucket_name
  log_object_lock                          = var.log_object_lock
  log_transition_to_glacier_days           = var.log_transition_to_glacier_days
  log_expiration_days                      = var.log_expiration_days
  enable_log_bucket_access_logging         = var.enable_log_bucket_access_logging
  force_destroy_log_buckets                = var.force_destroy_log_buckets
  trail_log_retention_days                 = var.trail_log_retention_days
  alarm_email_addresses                    = var.alarm_email_addresses
  guardduty_features                       = var.guardduty_features
  enable_guardduty_organization            = var.enable_guardduty_organization
  enable_securityhub                       = var.enable_securityhub
  enable_securityhub_central_configuration = var.enable_securityhub_central_configuration
  securityhub_standards                    = var.securityhub_standards
  securityhub_disabled_controls            = var.securityhub_disabled_controls
  securityhub_linked_regions               = [for r in var.approved_regions : r if r != var.region]
  config_aggregator_regions                = var.approved_regions
  enable_access_analyzer                   = var.enable_access_analyzer
  enable_unused_access_analyzer            = var.enable_unused_access_analyzer
  tags                                     = local.tags
}

# One baseline per account role; the provider alias decides the account (see providers.tf).
module "baseline_management" {
  source = "../../modules/security_baseline/modules/account"

  config_bucket_name                = local.baseline.config_bucket_name
  config_kms_key_arn                = local.baseline.config_kms_key_arn
  config_recording_frequency        = local.recording_frequency["management"]
  password_minimum_length           = local.baseline.password_minimum_length
  password_reuse_prevention         = local.baseline.password_reuse_prevention
  password_max_age_days             = local.baseline.password_max_age_days
  enable_s3_public_access_block     = local.baseline.enable_s3_public_access_block
  enable_ebs_encryption_by_default  = local.baseline.enable_ebs_encryption_by_default
  create_config_service_linked_role = local.baseline.create_config_service_linked_role
}

module "baseline_security" {
  source    = "../../modules/security_baseline/modules/account"
  providers = { aws = aws.security }

  config_bucket_name                = local.baseline.config_bucket_name
  config_kms_key_arn                = local.baseline.config_kms_key_arn
  config_recording_frequency        = local.recording_frequency["security"]
  password_minimum_length           = local.baseline.password_minimum_length
  password_reuse_prevention         = local.baseline.password_reuse_prevention
  password_max_age_days             = local.baseline.password_max_age_days
  enable_s3_public_access_block     = local.baseline.enable_s3_public_access_block
  enable_ebs_encryption_by_default  = local.baseline.enable_ebs_encryption_by_default
  create_config_service_linked_role = local.baseline.create_config_service_linked_role
}

module "baseline_log_archive" {
  source    = "../../modules/security_baseline/modules/account"
  providers = { aws = aws.log_archive }

  config_bucket_name                = local.baseline.config_bucket_name
  config_kms_key_arn                = local.baseline.config_kms_key_arn
  config_recording_frequency        = local.recording_frequency["log_archive"]
  password_minimum_length           = local.baseline.password_minimum_length
  password_reuse_prevention         = local.baseline.password_reuse_prevention
  password_max_age_days             = local.baseline.password_max_age_days
  enable_s3_public_access_block     = local.baseline.enable_s3_public_access_block
  enable_ebs_encryption_by_default  = local.baseline.enable_ebs_encryption_by_default
  create_config_service_linked_role = local.baseline.create_config_service_linked_role
}

module "baseline_shared_services" {
  source    = "../../modules/security_baseline/modules/account"
  providers = { aws = aws.shared_services }

  config_bucket_name                = local.baseline.config_bucket_name
  config_kms_key_arn                = local.baseline.config_kms_key_arn
  config_recording_frequency        = local.recording_frequency["shared_services"]
  password_minimum_length           = local.baseline.password_minimum_length
  password_reuse_prevention         = local.baseline.password_reuse_prevention
  password_max_age_days             = local.baseline.password_max_age_days
  enable_s3_public_access_block     = local.baseline.enable_s3_public_access_block
  enable_ebs_encryption_by_default  = local.baseline.enable_ebs_encryption_by_default
  create_config_service_linked_role = local.baseline.create_config_service_linked_role
}

module "baseline_sandbox" {
  source    = "../../modules/security_baseline/modules/account"
  providers = { aws = aws.sandbox }

  config_bucket_name                = local.baseline.config_bucket_name
  config_kms_key_arn                = local.baseline.config_kms_key_arn
  config_recording_frequency        = local.recording_frequency["sandbox"]
  password_minimum_length           = local.baseline.password_minimum_length
  password_reuse_prevention         = local.baseline.password_reuse_prevention
  password_max_age_days             = local.baseline.password_max_age_days
  enable_s3_public_access_block     = local.baseline.enable_s3_public_access_block
  enable_ebs_encryption_by_default  = local.baseline.enable_ebs_encryption_by_default
  create_config_service_linked_role = local.baseline.create_config_service_linked_role
}

module "baseline_dev" {
  source    = "../../modules/security_baseline/modules/account"
  providers = { aws = aws.dev }

  config_bucket_name                = local.baseline.config_bucket_name
  config_kms_key_arn                = local.baseline.config_kms_key_arn
  config_recording_frequency        = local.recording_frequency["dev"]
  password_minimum_length           = local.baseline.password_minimum_length
  password_reuse_prevention         = local.baseline.password_reuse_prevention
  password_max_age_days             = local.baseline.password_max_age_days
  enable_s3_public_access_block     = local.baseline.enable_s3_public_access_block
  enable_ebs_encryption_by_default  = local.baseline.enable_ebs_encryption_by_default
  create_config_service_linked_role = local.baseline.create_config_service_linked_role
}

module "baseline_staging" {
  source    = "../../modules/security_baseline/modules/account"
  providers = { aws = aws.staging }

  config_bucket_name                = local.baseline.config_bucket_name
  config_kms_key_arn                = local.baseline.config_kms_key_arn
  config_recording_frequency        = local.recording_frequency["staging"]
  password_minimum_length           = local.baseline.password_minimum_length
  password_reuse_prevention         = local.baseline.password_reuse_prevention
  password_max_age_days             = local.baseline.password_max_age_days
  enable_s3_public_access_block     = local.baseline.enable_s3_public_access_block
  enable_ebs_encryption_by_default  = local.baseline.enable_ebs_encryption_by_default
  create_config_service_linked_role = local.baseline.create_config_service_linked_role
}

module "baseline_prod" {
  source    = "../../modules/security_baseline/modules/account"
  providers = { aws = aws.prod }

  config_bucket_name                = local.baseline.config_bucket_name
  config_kms_key_arn                = local.baseline.config_kms_key_arn
  config_recording_frequency        = local.recording_frequency["prod"]
  password_minimum_length           = local.baseline.password_minimum_length
  password_reuse_prevention         = local.baseline.password_reuse_prevention
  password_max_age_days             = local.baseline.password_max_age_days
  enable_s3_public_access_block     = local.baseline.enable_s3_public_access_block
  enable_ebs_encryption_by_default  = local.baseline.enable_ebs_encryption_by_default
  create_config_service_linked_role = local.baseline.create_config_service_linked_role
}
