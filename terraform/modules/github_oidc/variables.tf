variable "github_repository" {
  description = "GitHub repository whose workflows may assume the roles, as owner/name (inventory: platform_ci_github_repository)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]{1,39}/[A-Za-z0-9_.-]{1,100}$", var.github_repository))
    error_message = "github_repository must be owner/name (letters, digits, '-', '_', '.'), without wildcards."
  }
}

variable "image_push_branch" {
  description = "Branch whose workflow runs may assume the image-push role; the trust pins sub to repo:<repository>:ref:refs/heads/<branch> (inventory: platform_ci_github_branch)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,243}$", var.image_push_branch)) && !startswith(var.image_push_branch, "refs/")
    error_message = "image_push_branch must be a branch name without refs/heads/ and without wildcards."
  }
}

variable "promote_environments" {
  description = "Target environments of promotion, each a GitHub environment of the same name; one promotion role each, trusted for sub repo:<repository>:environment:<name> (inventory: platform_ci_promote_environments)."
  type        = list(string)

  validation {
    condition     = length(var.promote_environments) == length(distinct(var.promote_environments)) && alltrue([for e in var.promote_environments : can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,30}$", e))])
    error_message = "promote_environments must be distinct environment names (letters, digits, '-', '_'), without wildcards."
  }
}

variable "image_push_role_name" {
  description = "Name of the image-push role (inventory: platform_ci_image_push_role_name)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.image_push_role_name))
    error_message = "image_push_role_name must be a valid IAM role name (1-64 characters)."
  }
}

variable "promote_role_name_prefix" {
  description = "Prefix of the promotion roles, named <prefix>-<environment> (inventory: platform_ci_promote_role_name_prefix)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,32}$", var.promote_role_name_prefix))
    error_message = "promote_role_name_prefix must be 1-32 IAM role name characters (the environment is appended)."
  }
}

variable "ecr_repository_names" {
  description = "ECR repositories (full names, e.g. chatbot/frontend) in this account and region that the roles may push to, scan and promote in: the ECR step's repositories."
  type        = list(string)

  validation {
    condition     = length(var.ecr_repository_names) > 0 && alltrue([for n in var.ecr_repository_names : can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", n))])
    error_message = "ecr_repository_names needs at least one ECR repository name; names have no wildcards."
  }
}

variable "oidc_provider_arn" {
  description = "ARN of an existing IAM OIDC provider for token.actions.githubusercontent.com to reuse (an account holds one per URL); null creates it."
  type        = string
  default     = null

  validation {
    condition     = var.oidc_provider_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be the ARN of the token.actions.githubusercontent.com OIDC provider, or null."
  }
}

variable "max_session_duration" {
  description = "Longest session, in seconds, a workflow may request for any of the roles (3600 to 43200)."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200 && floor(var.max_session_duration) == var.max_session_duration
    error_message = "max_session_duration must be a whole number of seconds from 3600 to 43200."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of a managed policy set as permissions boundary on every role; null sets none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM managed policy ARN, or null."
  }
}

variable "tags" {
  description = "Extra tags for every resource of the module (provider default_tags still apply)."
  type        = map(string)
  default     = {}
}
