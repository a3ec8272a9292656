# The management account's credentials (the ones running the accounts step) configure the default
# provider; every other account is reached by assuming its OrganizationAccountAccessRole, which the
# organization stack created with the account and the SCPs exempt. Terraform cannot loop over
# provider configurations, so each account role of the estate has its own alias.

locals {
  account_role_arns = { for k, id in var.account_ids : k => "arn:aws:iam::${id}:role/${var.account_access_role_name}" }
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

provider "aws" {
  alias             = "shared_services"
  region            = var.region
  s3_use_path_style = var.s3_use_path_style

  assume_role {
    role_arn     = local.account_role_arns["shared_services"]
    session_name = local.session_name
  }

  default_tags {
    tags = local.tags
  }
}

provider "aws" {
  alias             = "sandbox"
  region            = var.region
  s3_use_path_style = var.s3_use_path_style

  assume_role {
    role_arn     = local.account_role_arns["sandbox"]
    session_name = local.session_name
  }

  default_tags {
    tags = local.tags
  }
}

provider "aws" {
  alias             = "dev"
  region            = var.region
  s3_use_path_style = var.s3_use_path_style

  assume_role {
    role_arn     = local.account_role_arns["dev"]
    session_name = local.session_name
  }

  default_tags {
    tags = local.tags
  }
}

provider "aws" {
  alias             = "staging"
  region            = var.region
  s3_use_path_style = var.s3_use_path_style

  assume_role {
    role_arn     = local.account_role_arns["staging"]
    session_name = local.session_name
  }

  default_tags {
    tags = local.tags
  }
}

provider "aws" {
  alias             = "prod"
  region            = var.region
  s3_use_path_style = var.s3_use_path_style

  assume_role {
    role_arn     = local.account_role_arns["prod"]
    session_name = local.session_name
  }

  default_tags {
    tags = local.tags
  }
}
