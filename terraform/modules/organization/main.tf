# The organisation: all features on, trusted access for the services the platform uses, a
# two-level OU tree and the member accounts. Delegated administrators move the day-to-day
# operation of the security services out of the management account.

resource "aws_organizations_organization" "this" {
  feature_set                   = "ALL"
  aws_service_access_principals = sort(var.aws_service_access_principals)
  enabled_policy_types          = sort(var.enabled_policy_types)
}

locals {
  root_id     = aws_organizations_organization.this.roots[0].id
  top_level   = { for k, ou in var.organizational_units : k => ou if ou.parent == null }
  second_tier = { for k, ou in var.organizational_units : k => ou if ou.parent != null }
}

resource "aws_organizations_organizational_unit" "top" {
  for_each = local.top_level

  name      = each.value.name
  parent_id = local.root_id
  tags      = merge(var.tags, { "platform:ou" = each.key })
}

resource "aws_organizations_organizational_unit" "child" {
  for_each = local.second_tier

  name      = each.value.name
  parent_id = aws_organizations_organizational_unit.top[each.value.parent].id
  tags      = merge(var.tags, { "platform:ou" = each.key })
}

locals {
  ou_ids = merge(
    { for k, ou in aws_organizations_organizational_unit.top : k => ou.id },
    { for k, ou in aws_organizations_organizational_unit.child : k => ou.id },
  )
}

resource "aws_organizations_account" "this" {
  for_each = var.accounts

  name                       = each.value.name
  email                      = each.value.email
  parent_id                  = local.ou_ids[each.value.ou]
  role_name                  = var.account_access_role_name
  iam_user_access_to_billing = var.iam_user_access_to_billing
  close_on_deletion          = var.close_on_deletion
  tags                       = merge(var.tags, { "platform:account" = each.key }, each.value.tags)

  lifecycle {
    # Organizations does not return these after creation; changing them would replace the account.
    ignore_changes = [role_name, iam_user_access_to_billing]

    precondition {
      condition     = contains(keys(var.organizational_units), each.value.ou)
      error_message = "Account ${each.key} names OU '${each.value.ou}', which is not in organizational_units."
    }
  }
}

resource "aws_organizations_delegated_administrator" "this" {
  for_each = var.delegated_administrators

  account_id        = aws_organizations_account.this[each.value].id
  service_principal = each.key

  depends_on = [aws_organizations_organization.this]
}

resource "aws_guardduty_organization_admin_account" "this" {
  count = var.security_admin_account == null ? 0 : 1

  admin_account_id = aws_organizations_account.this[var.security_admin_account].id

  depends_on = [aws_organizations_organization.this]
}

resource "aws_securityhub_organization_admin_account" "this" {
  count = var.security_admin_account == null ? 0 : 1

  admin_account_id = aws_organizations_account.this[var.security_admin_account].id

  depends_on = [aws_organizations_organization.this]
}
