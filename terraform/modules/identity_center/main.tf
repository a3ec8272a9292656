# IAM Identity Center: the standard permission sets of the platform and the group-to-account
# assignments from the inventory. People get access only through groups; which account a
# group reaches decides what a permission set means there (Developer in non-prod,
# DeveloperReadOnly in prod).

data "aws_ssoadmin_instances" "this" {
  count = var.instance_arn == null || var.identity_store_id == null ? 1 : 0
}

locals {
  instance_arn      = coalesce(var.instance_arn, try(tolist(data.aws_ssoadmin_instances.this[0].arns)[0], null))
  identity_store_id = coalesce(var.identity_store_id, try(tolist(data.aws_ssoadmin_instances.this[0].identity_store_ids)[0], null))

  # Developers build in non-prod: everything PowerUserAccess allows, but no changes to
  # identity, organisation or the account's security tooling.
  developer_inline = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "DenyIdentityAndOrgChanges"
        Effect   = "Deny"
        Action   = ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:PutUserPolicy", "iam:AttachUserPolicy", "organizations:*", "account:*", "sso:*"]
        Resource = "*"
      },
      {
        Sid      = "DenySecurityToolingChanges"
        Effect   = "Deny"
        Action   = ["cloudtrail:*", "guardduty:*", "securityhub:*", "config:Delete*", "config:Stop*", "config:Put*", "access-analyzer:*"]
        Resource = "*"
      },
      {
        Sid      = "AllowServiceRoleManagementForWorkloads"
        Effect   = "Allow"
        Action   = ["iam:CreateRole", "iam:DeleteRole", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PassRole", "iam:TagRole", "iam:CreateServiceLinkedRole"]
        Resource = ["arn:aws:iam::*:role/app-*", "arn:aws:iam::*:role/aws-service-role/*"]
      },
    ]
  }

  # In prod developers read configuration and metrics. ReadOnlyAccess is also the permissions
  # boundary, so a later managed policy attached by mistake still cannot grant writes.
  developer_readonly_inline = {
    Version = "2012-10-17"
    Statement = [{
      Sid      = "DenyDataAndSecretReads"
      Effect   = "Deny"
      Action   = var.developer_prod_denied_data_actions
      Resource = "*"
    }]
  }

  # Break-glass is full admin, but only with MFA; the role name itself is protected by SCP.
  break_glass_inline = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyWithoutMfa"
      Effect    = "Deny"
      Action    = ["*"]
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  }

  standard = {
    PlatformAdmin = {
      description      = "Platform team: full administration of workload and infrastructure accounts."
      session_duration = "PT4H"
      managed          = ["arn:aws:iam::aws:policy/AdministratorAccess"]
      inline           = null
      boundary         = null
    }
    Developer = {
      description      = "Application developers in non-prod: build and operate workloads, no identity or security tooling changes."
      session_duration = "PT8H"
      managed          = ["arn:aws:iam::aws:policy/PowerUserAccess"]
      inline           = jsonencode(local.developer_inline)
      boundary         = null
    }
    DeveloperReadOnly = {
      description      = "Application developers in prod: read configuration, metrics and state; no data, secrets or writes."
      session_duration = "PT4H"
      managed          = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
      inline           = jsonencode(local.developer_readonly_inline)
      boundary         = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    }
    ReadOnly = {
      description      = "Anyone with a need to look: view-only metadata, no data."
      session_duration = "PT8H"
      managed          = ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"]
      inline           = null
      boundary         = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
    }
    SecurityAudit = {
      description      = "Security team: read security configuration and findings across accounts."
      session_duration = "PT8H"
      managed          = ["arn:aws:iam::aws:policy/SecurityAudit", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"]
      inline           = null
      boundary         = null
    }
    BillingViewer = {
      description      = "Finance: read-only billing and cost data."
      session_duration = "PT4H"
      managed          = ["arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess"]
      inline           = null
      boundary         = null
    }
    BreakGlass = {
      description      = "Emergency administrator: MFA required, one-hour sessions, every use alerts the security team."
      session_duration = "PT1H"
      managed          = ["arn:aws:iam::aws:policy/AdministratorAccess"]
      inline           = jsonencode(local.break_glass_inline)
      boundary         = null
    }
  }

  permission_sets = {
    for name in var.enabled_permission_sets : name => merge(local.standard[name], {
      session_duration = lookup(var.session_durations, name, local.standard[name].session_duration)
    })
  }

  managed_attachments = merge([
    for name, ps in local.permission_sets : { for arn in ps.managed : "${name}/${arn}" => { permission_set = name, arn = arn } }
  ]...)

  assignment_map = merge([
    for a in var.assignments : {
      for acc in a.accounts : "${a.group}/${a.permission_set}/${acc}" => {
        group          = a.group
        permission_set = a.permission_set
        account        = acc
      }
    }
  ]...)

  group_ids = var.create_groups ? { for k, g in aws_identitystore_group.this : k => g.group_id } : { for k, g in data.aws_identitystore_group.this : k => g.group_id }
}

resource "aws_ssoadmin_permission_set" "this" {
  for_each = local.permission_sets

  name             = each.key
  description      = each.value.description
  instance_arn     = local.instance_arn
  session_duration = each.value.session_duration
  tags             = var.tags
}

resource "aws_ssoadmin_managed_policy_attachment" "this" {
  for_each = local.managed_attachments

  instance_arn       = local.instance_arn
  managed_policy_arn = each.value.arn
  permission_set_arn = aws_ssoadmin_permission_set.this[each.value.permission_set].arn
}

resource "aws_ssoadmin_permission_set_inline_policy" "this" {
  for_each = { for name, ps in local.permission_sets : name => ps if ps.inline != null }

  instance_arn       = local.instance_arn
  inline_policy      = each.value.inline
  permission_set_arn = aws_ssoadmin_permission_set.this[each.key].arn
}

resource "aws_ssoadmin_permissions_boundary_attachment" "this" {
  for_each = var.enable_permissions_boundaries ? { for name, ps in local.permission_sets : name => ps if ps.boundary != null } : {}

  instance_arn       = local.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.this[each.key].arn

  permissions_boundary {
    managed_policy_arn = each.value.boundary
  }
}

resource "aws_identitystore_group" "this" {
  for_each = var.create_groups ? var.groups : {}

  identity_store_id = local.identity_store_id
  display_name      = each.value.display_name
  description       = coalesce(each.value.description, "Managed by Terraform: ${each.value.display_name}")
}

data "aws_identitystore_group" "this" {
  for_each = var.create_groups ? {} : var.groups

  identity_store_id = local.identity_store_id

  alternate_identifier {
    unique_attribute {
      attribute_path  = "DisplayName"
      attribute_value = each.value.display_name
    }
  }
}

resource "aws_ssoadmin_account_assignment" "this" {
  for_each = local.assignment_map

  instance_arn       = local.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.this[each.value.permission_set].arn
  principal_id       = local.group_ids[each.value.group]
  principal_type     = "GROUP"
  target_id          = var.account_ids[each.value.account]
  target_type        = "AWS_ACCOUNT"

  # Policies must be on the permission set before it is provisioned into the account.
  depends_on = [
    aws_ssoadmin_managed_policy_attachment.this,
    aws_ssoadmin_permission_set_inline_policy.this,
    aws_ssoadmin_permissions_boundary_attachment.this,
  ]
}
