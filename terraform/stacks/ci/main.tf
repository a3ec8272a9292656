# The AWS side of the image pipeline (.github/workflows/images.yml and promote.yml, docs/ci.md), in the
# shared-services account where ECR lives: GitHub Actions' OIDC provider and the roles its workflows assume.
# Applied by step 4 (playbooks/ecr.yml) after the repositories exist, from whichever environment's inventory
# runs the step: every inventory names the same state (platform_ci_state_bucket, key
# <name>/shared-services/ci.tfstate), so dev, staging and prod converge this one stack.

locals {
  tags = merge(var.tags, {
    "platform:name"        = var.name
    "platform:environment" = var.environment
    "platform:stack"       = "ci"
    "platform:managed-by"  = "terraform"
  })
}

module "github_oidc" {
  source = "../../modules/github_oidc"

  github_repository        = var.github_repository
  image_push_branch        = var.github_branch
  promote_environments     = var.promote_environments
  image_push_role_name     = var.image_push_role_name
  promote_role_name_prefix = var.promote_role_name_prefix
  ecr_repository_names     = var.ecr_repository_names
  oidc_provider_arn        = var.oidc_provider_arn
  max_session_duration     = var.max_session_duration
  permissions_boundary_arn = var.permissions_boundary_arn
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
