variable "name" {
  description = "Prefix of every policy name, by convention <platform_name>-<environment> (policies are named <name>-<purpose>)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "approved_regions" {
  description = "Regions in which member accounts may use regional services. Global services (IAM, Organizations, Route 53, CloudFront, support, billing, STS...) stay usable everywhere."
  type        = list(string)

  validation {
    condition     = length(var.approved_regions) > 0 && alltrue([for r in var.approved_regions : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", r))])
    error_message = "approved_regions must list at least one AWS region name such as eu-west-1."
  }
}

variable "platform_role_name_patterns" {
  description = "IAM roles (path and name after role/ in the role's ARN, wildcards allowed) that run the platform and must not be changed by anyone but the exempt principals, e.g. OrganizationAccountAccessRole, the Terraform roles and the IAM Identity Center roles, which live under the path aws-reserved/sso.amazonaws.com/ (with a region segment in some organisations)."
  type        = list(string)
  nullable    = false
  default     = ["OrganizationAccountAccessRole", "chatbot-*-terraform*", "aws-reserved/sso.amazonaws.com/*AWSReservedSSO_*"]

  validation {
    condition     = length(var.platform_role_name_patterns) > 0 && alltrue([for p in var.platform_role_name_patterns : can(regex("^([A-Za-z0-9+=,.@_*-]+/)*[A-Za-z0-9+=,.@_*-]{1,64}$", p)) && length(p) <= 576])
    error_message = "platform_role_name_patterns must be IAM role names, optionally preceded by their path (a/b/), with * wildcards."
  }

  validation {
    condition     = alltrue([for p in var.platform_role_name_patterns : !strcontains(p, "AWSReservedSSO_") || startswith(p, "aws-reserved/sso.amazonaws.com/")])
    error_message = "IAM Identity Center roles (AWSReservedSSO_*) live under the path aws-reserved/sso.amazonaws.com/: a pattern for them must start with it, or it never matches."
  }
}

variable "exempt_principal_arn_patterns" {
  description = "Principal ARNs (wildcards allowed, account id as *) exempt from the guardrails that protect platform roles, security services and log buckets: the automation and break-glass roles."
  type        = list(string)
  nullable    = false
  default     = ["arn:aws:iam::*:role/OrganizationAccountAccessRole", "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_BreakGlass_*"]

  validation {
    condition     = length(var.exempt_principal_arn_patterns) > 0 && alltrue([for p in var.exempt_principal_arn_patterns : can(regex("^arn:aws[a-z-]*:(iam|sts)::", p))])
    error_message = "exempt_principal_arn_patterns must be IAM or STS ARN patterns."
  }
}

variable "log_archive_bucket_names" {
  description = "Names of the central log buckets in the Log Archive account (CloudTrail, Config, access logs) whose deletion and policy or lifecycle changes are denied."
  type        = list(string)

  validation {
    condition     = length(var.log_archive_bucket_names) > 0 && alltrue([for b in var.log_archive_bucket_names : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", b))])
    error_message = "log_archive_bucket_names must be valid S3 bucket names (at least one)."
  }
}

variable "sandbox_denied_instance_types" {
  description = "EC2 instance type patterns that sandbox accounts may not launch (cost guardrail), e.g. large and accelerated families."
  type        = list(string)
  nullable    = false
  default     = ["*.metal*", "*.8xlarge", "*.12xlarge", "*.16xlarge", "*.18xlarge", "*.24xlarge", "*.32xlarge", "*.48xlarge", "p*", "g*", "inf*", "trn*", "dl*", "x*", "u-*", "hpc*"]

  validation {
    condition     = length(var.sandbox_denied_instance_types) > 0
    error_message = "sandbox_denied_instance_types must not be empty."
  }
}

variable "targets" {
  description = "Where each policy is attached: map of policy key to a map of target label (e.g. root, workloads, sandbox) to the root id, OU id or account id. Labels keep plans stable while ids are still unknown. Keys: deny_leave_organization, protect_security_services, region_restriction, deny_root_user, protect_platform, deny_iam_users, deny_all, sandbox_cost. A missing key attaches the policy nowhere."
  type        = map(map(string))
  nullable    = false
  default     = {}

  validation {
    condition = alltrue([for k in keys(var.targets) : contains([
      "deny_leave_organization", "protect_security_services", "region_restriction", "deny_root_user",
      "protect_platform", "deny_iam_users", "deny_all", "sandbox_cost",
    ], k)])
    error_message = "targets keys must be policy keys: deny_leave_organization, protect_security_services, region_restriction, deny_root_user, protect_platform, deny_iam_users, deny_all, sandbox_cost."
  }

  validation {
    condition     = alltrue(flatten([for k, v in var.targets : [for label, id in v : can(regex("^[a-z0-9_-]{1,64}$", label))]]))
    error_message = "targets labels must be 1-64 lower-case letters, digits, underscores or hyphens."
  }
}

variable "tags" {
  description = "Tags for the policies."
  type        = map(string)
  nullable    = false
  default     = {}
}
