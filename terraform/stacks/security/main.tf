# The organisation's central security and logging, run from the management account after the
# organization stack: the organisation trail into the log archive, GuardDuty, Security Hub, the
# Config aggregator and Access Analyzer in the security account (their delegated administrator),
# security alarms. Every account's own baseline is terraform/stacks/account_baseline, applied once per
# account by playbooks/accounts.yml after this stack.

locals {
  tags = merge(var.tags, {
    "platform:name"        = var.name
    "platform:environment" = var.environment
    "platform:stack"       = "security"
    "platform:managed-by"  = "terraform"
  })
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
