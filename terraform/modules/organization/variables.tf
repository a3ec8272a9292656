variable "aws_service_access_principals" {
  description = "Service principals given trusted access to the organization (the security services, IAM Identity Center, account management)."
  type        = list(string)
  nullable    = false
  default = [
    "access-analyzer.amazonaws.com",
    "account.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "config.amazonaws.com",
    "guardduty.amazonaws.com",
    "malware-protection.guardduty.amazonaws.com",
    "securityhub.amazonaws.com",
    "sso.amazonaws.com",
  ]

  validation {
    condition     = alltrue([for p in var.aws_service_access_principals : endswith(p, ".amazonaws.com")])
    error_message = "aws_service_access_principals must be AWS service principals ending in .amazonaws.com."
  }
}

variable "enabled_policy_types" {
  description = "Organization policy types to enable at the root. SERVICE_CONTROL_POLICY is required for the guardrails."
  type        = list(string)
  nullable    = false
  default     = ["SERVICE_CONTROL_POLICY", "TAG_POLICY"]

  validation {
    condition     = contains(var.enabled_policy_types, "SERVICE_CONTROL_POLICY") && alltrue([for t in var.enabled_policy_types : contains(["SERVICE_CONTROL_POLICY", "TAG_POLICY", "BACKUP_POLICY", "AISERVICES_OPT_OUT_POLICY", "RESOURCE_CONTROL_POLICY", "DECLARATIVE_POLICY_EC2", "CHATBOT_POLICY"], t)])
    error_message = "enabled_policy_types must include SERVICE_CONTROL_POLICY and contain only organization policy types."
  }
}

variable "organizational_units" {
  description = "OU layout: map of OU key to its display name and the key of its parent OU (null for the root). Parents must be defined before children in depth: at most two levels."
  type = map(object({
    name   = string
    parent = optional(string)
  }))
  nullable = false
  default = {
    security       = { name = "Security" }
    infrastructure = { name = "Infrastructure" }
    workloads      = { name = "Workloads" }
    prod           = { name = "Prod", parent = "workloads" }
    nonprod        = { name = "NonProd", parent = "workloads" }
    sandbox        = { name = "Sandbox" }
    suspended      = { name = "Suspended" }
  }

  validation {
    condition     = alltrue([for k, ou in var.organizational_units : ou.parent == null || contains(keys(var.organizational_units), coalesce(ou.parent, "-"))])
    error_message = "Every OU parent must be the key of another OU (or null for the root)."
  }

  validation {
    condition     = alltrue([for k, ou in var.organizational_units : ou.parent == null ? true : var.organizational_units[ou.parent].parent == null])
    error_message = "The OU tree may be at most two levels deep (top-level OUs and their children)."
  }

  validation {
    condition     = alltrue([for k, ou in var.organizational_units : length(ou.name) >= 1 && length(ou.name) <= 128])
    error_message = "OU names must be 1-128 characters."
  }
}

variable "accounts" {
  description = "Member accounts: map of account key (e.g. log_archive, prod) to name, root email, OU key and tags. The management account is not listed here."
  type = map(object({
    name  = string
    email = string
    ou    = string
    tags  = optional(map(string), {})
  }))

  validation {
    condition     = alltrue([for k, a in var.accounts : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", a.email))])
    error_message = "Every account needs a valid root email address."
  }

  validation {
    condition     = length(distinct([for a in var.accounts : lower(a.email)])) == length(var.accounts)
    error_message = "Account root email addresses must be unique."
  }

  validation {
    condition     = alltrue([for k, a in var.accounts : length(a.name) >= 1 && length(a.name) <= 50])
    error_message = "Account names must be 1-50 characters."
  }
}

variable "account_access_role_name" {
  description = "Role Organizations creates in every new account, trusted by the management account. Other stacks assume it to bootstrap the account."
  type        = string
  nullable    = false
  default     = "OrganizationAccountAccessRole"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.account_access_role_name))
    error_message = "account_access_role_name must be a valid IAM role name."
  }
}

variable "iam_user_access_to_billing" {
  description = "Whether IAM principals in member accounts may see billing (ALLOW or DENY). Billing is viewed through the BillingViewer permission set instead."
  type        = string
  nullable    = false
  default     = "DENY"

  validation {
    condition     = contains(["ALLOW", "DENY"], var.iam_user_access_to_billing)
    error_message = "iam_user_access_to_billing must be ALLOW or DENY."
  }
}

variable "close_on_deletion" {
  description = "Close the AWS account when it is removed from the map. False only removes it from the organisation (safer: closing is irreversible after 90 days)."
  type        = bool
  nullable    = false
  default     = false
}

variable "delegated_administrators" {
  description = "Map of service principal to the account key that administers it for the organisation through Organizations (Access Analyzer, Config, IAM Identity Center...). GuardDuty and Security Hub are delegated through their own APIs (security_admin_account)."
  type        = map(string)
  nullable    = false
  default     = {}

  validation {
    condition     = alltrue([for p, a in var.delegated_administrators : endswith(p, ".amazonaws.com") && !contains(["guardduty.amazonaws.com", "securityhub.amazonaws.com"], p)])
    error_message = "delegated_administrators keys must be service principals; GuardDuty and Security Hub use security_admin_account instead."
  }
}

variable "security_admin_account" {
  description = "Account key (in accounts) made delegated administrator of GuardDuty and Security Hub through their own APIs; null to skip (e.g. emulators that lack these APIs)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags merged into every OU and account (account tags win)."
  type        = map(string)
  nullable    = false
  default     = {}
}
