variable "name" {
  description = "Platform name, the first part of every resource name (inventory: platform_name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name must be 2-21 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment of this run (inventory: platform_env); the account estate is run as management."
  type        = string

  validation {
    condition     = contains(["local", "dev", "staging", "prod", "shared", "management"], var.environment)
    error_message = "environment must be one of local, dev, staging, prod, shared, management."
  }
}

variable "region" {
  description = "Home region of the organisation's management resources (inventory: platform_region)."
  type        = string
}

variable "tags" {
  description = "Tags merged into every resource (inventory: platform_tags)."
  type        = map(string)
  default     = {}
}

variable "s3_use_path_style" {
  description = "Use path-style S3 addressing. Only for S3 emulators such as moto; leave false on AWS."
  type        = bool
  default     = false
}

variable "organizational_units" {
  description = "OU layout (inventory: platform_organization_organizational_units); null keeps the module's standard layout: Security, Infrastructure, Workloads/{Prod,NonProd}, Sandbox, Suspended."
  type = map(object({
    name   = string
    parent = optional(string)
  }))
  default = null
}

variable "accounts" {
  description = "Member accounts by key: name, root email, OU key and tags (inventory: platform_organization_accounts)."
  type = map(object({
    name  = string
    email = string
    ou    = string
    tags  = optional(map(string), {})
  }))
}

variable "aws_service_access_principals" {
  description = "Service principals given trusted access to the organization; null keeps the module's list (security services, Identity Center, account management)."
  type        = list(string)
  default     = null
}

variable "close_on_deletion" {
  description = "Close an AWS account when it is removed from the inventory (false: it only leaves the organisation)."
  type        = bool
  default     = false
}

variable "delegated_administrators" {
  description = "Service principal to account key delegated through Organizations (Access Analyzer, Config, ...)."
  type        = map(string)
  default = {
    "access-analyzer.amazonaws.com"          = "security"
    "config.amazonaws.com"                   = "security"
    "config-multiaccountsetup.amazonaws.com" = "security"
  }
}

variable "security_admin_account" {
  description = "Account key delegated GuardDuty and Security Hub administration; null skips it (emulators)."
  type        = string
  default     = "security"
}

variable "enable_scps" {
  description = "Create and attach the service control policies."
  type        = bool
  default     = true
}

variable "approved_regions" {
  description = "Regions member accounts may use (inventory: platform_organization_approved_regions)."
  type        = list(string)
}

variable "log_archive_bucket_names" {
  description = "Central log buckets in the Log Archive account that the SCPs protect (must match the security stack)."
  type        = list(string)
}

variable "scp_platform_role_name_patterns" {
  description = "Role names (wildcards allowed) protected by SCP; null keeps the module default."
  type        = list(string)
  default     = null
}

variable "scp_exempt_principal_arn_patterns" {
  description = "Principal ARN patterns exempt from the protective SCPs (automation and break-glass); null keeps the module default."
  type        = list(string)
  default     = null
}

variable "scp_sandbox_denied_instance_types" {
  description = "Instance type patterns denied in sandbox accounts; null keeps the module default."
  type        = list(string)
  default     = null
}

variable "scp_targets" {
  description = "Policy key to the places it is attached: 'root', OU keys or 'account:<account key>'."
  type        = map(list(string))
  default = {
    deny_leave_organization   = ["root"]
    protect_security_services = ["root"]
    region_restriction        = ["root"]
    deny_root_user            = ["root"]
    protect_platform          = ["root"]
    deny_iam_users            = ["workloads", "infrastructure"]
    deny_all                  = ["suspended"]
    sandbox_cost              = ["sandbox"]
  }

  validation {
    condition     = alltrue(flatten([for p, labels in var.scp_targets : [for l in labels : can(regex("^(root|[a-z0-9_-]+|account:[a-z0-9_-]+)$", l))]]))
    error_message = "scp_targets values must be 'root', an OU key or 'account:<account key>'."
  }
}

variable "enable_identity_center" {
  description = "Manage IAM Identity Center permission sets and assignments (the instance must have been enabled once in the console)."
  type        = bool
  default     = true
}

variable "identity_center_enabled_permission_sets" {
  description = "Standard permission sets to create; null creates all of them."
  type        = list(string)
  default     = null
}

variable "identity_center_session_durations" {
  description = "Session duration overrides per permission set (ISO 8601 hours)."
  type        = map(string)
  default     = {}
}

variable "identity_center_enable_permissions_boundaries" {
  description = "Attach permissions boundaries to permission sets (false only against moto)."
  type        = bool
  default     = true
}

variable "identity_center_create_groups" {
  description = "Create the groups in the Identity Center directory; false when an external IdP provisions them by SCIM."
  type        = bool
  default     = false
}

variable "identity_center_groups" {
  description = "Groups by key: display name and description."
  type = map(object({
    display_name = string
    description  = optional(string)
  }))
  default = {}
}

variable "identity_center_assignments" {
  description = "Group, permission set and the account keys it is assigned in ('management' is the management account)."
  type = list(object({
    group          = string
    permission_set = string
    accounts       = list(string)
  }))
  default = []
}
