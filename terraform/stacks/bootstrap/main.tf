locals {
  tags = merge(var.tags, {
    "platform:name"        = var.name
    "platform:environment" = var.environment
    "platform:stack"       = "bootstrap"
    "platform:managed-by"  = "terraform"
  })
}

module "state_backend" {
  source = "../../modules/state_backend"

  bucket_name                        = var.state_bucket_name
  access_log_bucket                  = var.state_access_log_bucket
  kms_key_administrator_arns         = var.state_kms_key_administrator_arns
  noncurrent_version_expiration_days = var.state_noncurrent_version_expiration_days
  noncurrent_versions_to_keep        = var.state_noncurrent_versions_to_keep
  attach_bucket_policy               = var.state_attach_bucket_policy
  force_destroy                      = var.state_force_destroy
  tags                               = local.tags
}
