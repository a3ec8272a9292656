# The account estate from the management account: organisation, OUs, member accounts,
# guardrails (SCPs) and IAM Identity Center. Security services in the member accounts are
# configured by the security stack.

locals {
  tags = merge(var.tags, {
    "platform:name"        = var.name
    "platform:environment" = var.environment
    "platform:stack"       = "organization"
    "platform:managed-by"  = "terraform"
  })

  prefix = "${var.name}-${var.environment}"
}

module "organization" {
  source = "../../modules/organization"

  organizational_units          = var.organizational_units
  aws_service_access_principals = var.aws_service_access_principals
  accounts                      = var.accounts
  close_on_deletion             = var.close_on_deletion
  delegated_administrators      = var.delegated_administrators
  security_admin_account        = var.security_admin_account
  tags                          = local.tags
}

locals {
  # 'root', OU keys and 'account:<key>' resolve to the ids SCPs are attached to (the prefix
  # keeps an account and an OU of the same key, such as sandbox, apart).
  scp_target_ids = merge(
    { root = module.organization.root_id },
    module.organization.ou_ids,
    { for k, id in module.organization.account_ids : "account:${k}" => id },
  )
}

module "scp" {
  source = "../../modules/scp"
  count  = var.enable_scps ? 1 : 0

  name                          = local.prefix
  approved_regions              = var.approved_regions
  log_archive_bucket_names      = var.log_archive_bucket_names
  platform_role_name_patterns   = var.scp_platform_role_name_patterns
  exempt_principal_arn_patterns = var.scp_exempt_principal_arn_patterns
  sandbox_denied_instance_types = var.scp_sandbox_denied_instance_types
  targets                       = { for policy, labels in var.scp_targets : policy => { for l in labels : replace(l, ":", "-") => local.scp_target_ids[l] } }
  tags                          = local.tags
}

module "identity_center" {
  source = "../../modules/identity_center"
  count  = var.enable_identity_center ? 1 : 0

  enabled_permission_sets       = var.identity_center_enabled_permission_sets
  session_durations             = var.identity_center_session_durations
  enable_permissions_boundaries = var.identity_center_enable_permissions_boundaries
  create_groups                 = var.identity_center_create_groups
  groups                        = var.identity_center_groups
  account_ids                   = merge({ management = module.organization.management_account_id }, module.organization.account_ids)
  assignments                   = var.identity_center_assignments
  tags                          = local.tags
}
