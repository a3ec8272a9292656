# ---- common inputs (passed by roles/terraform_stack) ----------------------------------------
variable "name" {
  description = "Platform name (inventory: platform_name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name must be 2-21 lower-case letters, digits or hyphens, starting with a letter."
  }
}

# The stack lives in the shared-services account and is converged from every environment's inventory, so
# playbooks/ecr.yml passes shared-services here instead of platform_env: one state, one set of tags.
variable "environment" {
  description = "Always shared-services: the stack is the same whichever environment's inventory applies it."
  type        = string

  validation {
    condition     = var.environment == "shared-services"
    error_message = "environment must be shared-services: dev, staging and prod all converge this one stack (playbooks/ecr.yml)."
  }
}

variable "region" {
  description = "AWS region of the ECR repositories (inventory: platform_region)."
  type        = string
}

variable "tags" {
  description = "Tags merged into every resource (inventory: platform_ci_tags, equal in every environment's inventory)."
  type        = map(string)
  default     = {}
}

variable "s3_use_path_style" {
  description = "Use path-style S3 addressing. Only for S3 emulators such as moto; leave false on AWS."
  type        = bool
  default     = false
}

# ---- CI inputs (inventory: platform_ci_<x>, and the ECR step's repositories) -----------------
variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows assume the roles (inventory: platform_ci_github_repository)."
  type        = string
}

variable "github_branch" {
  description = "Branch whose workflow runs may push images (inventory: platform_ci_github_branch)."
  type        = string
}

variable "promote_environments" {
  description = "Target environments of promotion, GitHub environments of the same names (inventory: platform_ci_promote_environments)."
  type        = list(string)
}

variable "image_push_role_name" {
  description = "Name of the image-push role (inventory: platform_ci_image_push_role_name)."
  type        = string
}

variable "promote_role_name_prefix" {
  description = "Prefix of the promotion roles, <prefix>-<environment> (inventory: platform_ci_promote_role_name_prefix)."
  type        = string
}

variable "oidc_provider_arn" {
  description = "Existing token.actions.githubusercontent.com provider of the account to reuse; null creates it (inventory: platform_ci_oidc_provider_arn)."
  type        = string
  default     = null
}

variable "max_session_duration" {
  description = "Longest session in seconds a workflow may request (inventory: platform_ci_max_session_duration)."
  type        = number
  default     = 3600
}

variable "permissions_boundary_arn" {
  description = "Managed policy set as permissions boundary on the roles; null sets none (inventory: platform_ci_permissions_boundary_arn)."
  type        = string
  default     = null
}

variable "ecr_repository_names" {
  description = "The chatbot's ECR repositories (full names), from the ECR step (fact ecr_repository_names of roles/ecr)."
  type        = list(string)
}
