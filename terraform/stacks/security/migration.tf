# The move of the account baselines out of this stack (docs/accounts.md, "Moving the baselines out of
# the security stack"). Until the per-account stack existed this stack applied every account's
# baseline itself (module.baseline_<account key>, one provider alias each). The `removed` blocks drop
# them from this state without destroying anything; terraform/stacks/account_baseline imports them
# (its import_accounts). Terraform needs the provider configuration an object was made with even to
# forget it, so the aliases of the five accounts that no longer have one in providers.tf stay here for
# the move, unused by any resource. Delete this file once every state that had the baselines has been
# applied with it.

locals {
  legacy_account_role_arns = {
    for k in ["shared_services", "sandbox", "dev", "staging", "prod"] :
    k => "arn:aws:iam::${lookup(var.account_ids, k, var.account_ids["management"])}:role/${var.account_access_role_name}"
  }
}

provider "aws" {
  alias             = "shared_services"
  region            = var.region
  s3_use_path_style = var.s3_use_path_style
  assume_role {
    role_arn     = local.legacy_account_role_arns["shared_services"]
    session_name = local.session_name
  }
}

provider "aws" {
  alias             = "sandbox"
  region            = var.region
  s3_use_path_style = var.s3_use_path_style
  assume_role {
    role_arn     = local.legacy_account_role_arns["sandbox"]
    session_name = local.session_name
  }
}

provider "aws" {
  alias             = "dev"
  region            = var.region
  s3_use_path_style = var.s3_use_path_style
  assume_role {
    role_arn     = local.legacy_account_role_arns["dev"]
    session_name = local.session_name
  }
}

provider "aws" {
  alias             = "staging"
  region            = var.region
  s3_use_path_style = var.s3_use_path_style
  assume_role {
    role_arn     = local.legacy_account_role_arns["staging"]
    session_name = local.session_name
  }
}

provider "aws" {
  alias             = "prod"
  region            = var.region
  s3_use_path_style = var.s3_use_path_style
  assume_role {
    role_arn     = local.legacy_account_role_arns["prod"]
    session_name = local.session_name
  }
}

removed {
  from = module.baseline_management
  lifecycle { destroy = false }
}
removed {
  from = module.baseline_security
  lifecycle { destroy = false }
}
removed {
  from = module.baseline_log_archive
  lifecycle { destroy = false }
}
removed {
  from = module.baseline_shared_services
  lifecycle { destroy = false }
}
removed {
  from = module.baseline_sandbox
  lifecycle { destroy = false }
}
removed {
  from = module.baseline_dev
  lifecycle { destroy = false }
}
removed {
  from = module.baseline_staging
  lifecycle { destroy = false }
}
removed {
  from = module.baseline_prod
  lifecycle { destroy = false }
}
