# One account per apply: playbooks/accounts.yml runs this stack once for every account of the estate.
# The management account's credentials (the ones running the accounts step) reach a member account by
# assuming its OrganizationAccountAccessRole, which the organization stack created with the account
# and the SCPs exempt; the management account itself is reached with those credentials directly.

locals {
  assume_role_arn = var.account_id == var.management_account_id ? null : "arn:aws:iam::${var.account_id}:role/${var.account_access_role_name}"
}

provider "aws" {
  region            = var.region
  s3_use_path_style = var.s3_use_path_style

  dynamic "assume_role" {
    for_each = local.assume_role_arn == null ? [] : [local.assume_role_arn]
    content {
      role_arn     = assume_role.value
      session_name = "${var.name}-account-baseline-${replace(var.account_key, "_", "-")}"
    }
  }

  default_tags {
    tags = local.tags
  }
}
