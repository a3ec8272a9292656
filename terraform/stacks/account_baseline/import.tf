# Adoption of a baseline that already exists: until this stack existed, terraform/stacks/security
# created every account's baseline (module.baseline_<account key>) and now forgets it with `removed`
# blocks. For the accounts listed in import_accounts this stack imports those resources instead of
# creating them, so nothing is destroyed or recreated (docs/accounts.md, "Moving the baselines out of
# the security stack"). An import of a resource already in this stack's state is a no-op, so the list
# may stay as it is after the move; an account added later must not be listed (there is nothing to import).
# Import ids must be known before the plan reads anything, hence the role ARN built from the variables.

locals {
  partition       = startswith(var.region, "cn-") ? "aws-cn" : (startswith(var.region, "us-gov-") ? "aws-us-gov" : "aws")
  config_role_arn = "arn:${local.partition}:iam::${var.account_id}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
}

import {
  for_each = local.adopt ? toset(["iam-account-password-policy"]) : toset([])
  to       = module.baseline.aws_iam_account_password_policy.this
  id       = each.value
}

import {
  for_each = local.adopt && var.enable_s3_public_access_block ? toset([var.account_id]) : toset([])
  to       = module.baseline.aws_s3_account_public_access_block.this[0]
  id       = each.value
}

import {
  for_each = local.adopt && var.enable_ebs_encryption_by_default ? toset(["default"]) : toset([])
  to       = module.baseline.aws_ebs_encryption_by_default.this[0]
  id       = each.value
}

import {
  for_each = local.adopt && var.create_config_service_linked_role ? toset([local.config_role_arn]) : toset([])
  to       = module.baseline.aws_iam_service_linked_role.config[0]
  id       = each.value
}

import {
  for_each = local.adopt ? toset(["default"]) : toset([])
  to       = module.baseline.aws_config_configuration_recorder.this
  id       = each.value
}

import {
  for_each = local.adopt ? toset(["default"]) : toset([])
  to       = module.baseline.aws_config_delivery_channel.this
  id       = each.value
}

import {
  for_each = local.adopt ? toset(["default"]) : toset([])
  to       = module.baseline.aws_config_configuration_recorder_status.this
  id       = each.value
}
