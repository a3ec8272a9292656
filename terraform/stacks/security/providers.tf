# The management account's credentials (the ones running the accounts step) configure the default
# provider; the security and log archive accounts, which hold the organisation-level services and
# logs, are reached by assuming their OrganizationAccountAccessRole, which the organization stack
# created with the account and the SCPs exempt. Every account's baseline is a stack of its
# own (terraform/stacks/account_baseline), applied once per account by playbooks/accounts.yml.

locals {
  account_role_arns = { for k in ["security", "log_archive"] : k => "arn:aws:iam::${var.account_ids[k]}:role/${var.account_access_role_name}" }
  session_name      = "${var.name}-security-stack"
}

provider "aws" {
  region            = var.region
  s3_use_path_style = var.s3_use_path_style

  default_tags {
    tags = local.tags
  }
}

provider "aws" {
  alias             = "security"
  region            = var.region
  s3_use_path_style = var.s3_use_path_style

  assume_role {
    role_arn     = local.account_role_arns["security"]
    session_name = local.session_name
  }

  default_tags {
    tags = local.tags
  }
}

provider "aws" {
  alias             = "log_archive"
  region            = var.region
  s3_use_path_style = var.s3_use_path_style

  assume_role {
    role_arn     = local.account_role_arns["log_archive"]
    session_name = local.session_name
  }

  default_tags {
    tags = local.tags
  }
}
