variable "name" {
  description = "Platform name, the first part of every resource name (inventory: platform_name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name must be 2-21 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment of this run (inventory: platform_env); the account estate runs as management (local on moto)."
  type        = string

  validation {
    condition     = contains(["local", "dev", "staging", "prod", "shared", "management"], var.environment)
    error_message = "environment must be one of local, dev, staging, prod, shared, management."
  }
}

variable "region" {
  description = "Home region: the trail, the security services' administrator, Config aggregator and alarms (inventory: platform_region)."
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

variable "account_ids" {
  description = "Account id per account of the estate (the organization stack's account_ids plus management); accounts.yml passes them. The Config bucket admits each of them; security and log_archive are reached through their role."
  type        = map(string)

  validation {
    condition     = length(setsubtract(["management", "security", "log_archive"], keys(var.account_ids))) == 0
    error_message = "account_ids must name at least management, security and log_archive."
  }

  validation {
    condition     = alltrue([for id in values(var.account_ids) : can(regex("^[0-9]{12}$", id))])
    error_message = "account_ids values must be 12-digit account ids."
  }
}

variable "organization_id" {
  description = "Organization id (the organization stack's organization_id; accounts.yml passes it)."
  type        = string
}

variable "organization_root_id" {
  description = "Organization root id (the organization stack's root_id; accounts.yml passes it)."
  type        = string
}

variable "account_access_role_name" {
  description = "Role assumed in each member account (created with the account by Organizations)."
  type        = string
  default     = "OrganizationAccountAccessRole"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.account_access_role_name))
    error_message = "account_access_role_name must be a valid IAM role name."
  }
}

variable "approved_regions" {
  description = "Regions the estate uses (same list as the SCP region guardrail): the Config aggregator collects them and Security Hub links the ones other than the home region."
  type        = list(string)

  validation {
    condition     = length(var.approved_regions) > 0
    error_message = "approved_regions must list at least the home region."
  }
}

variable "cloudtrail_bucket_name" {
  description = "Organisation trail bucket in the log archive account (globally unique, protected by SCP: keep it in the organisation inventory's log_archive_bucket_names)."
  type        = string
}

variable "config_bucket_name" {
  description = "Central AWS Config bucket in the log archive account (protected by SCP like the trail bucket)."
  type        = string
}

variable "access_log_bucket_name" {
  description = "Server access log bucket of the two log buckets (protected by SCP like the trail bucket)."
  type        = string
}

variable "log_object_lock" {
  description = "Object Lock default retention of the trail and Config buckets ({mode, days}); null: none. Only applied when the buckets are created."
  type = object({
    mode = string
    days = number
  })
  default = null
}

variable "log_transition_to_glacier_days" {
  description = "Days after which audit logs move to S3 Glacier Flexible Retrieval."
  type        = number
  default     = 90
}

variable "log_expiration_days" {
  description = "Days after which audit logs are deleted."
  type        = number
  default     = 2557
}

variable "enable_log_bucket_access_logging" {
  description = "Server access logs of the trail and Config buckets (false only against moto, which refuses them)."
  type        = bool
  default     = true
}

variable "force_destroy_log_buckets" {
  description = "Let terraform destroy delete non-empty log buckets (local moto run only)."
  type        = bool
  default     = false
}

variable "trail_log_retention_days" {
  description = "Retention of the organisation trail's CloudWatch log group (the alarms' source)."
  type        = number
  default     = 365
}

variable "alarm_email_addresses" {
  description = "Addresses that receive the security alarms (break-glass sign-in, root use, guardrail changes)."
  type        = list(string)
  default     = []
}

variable "guardduty_features" {
  description = "GuardDuty protection plans and their agent-management options; null keeps the module's S3, EKS audit logs and runtime monitoring (EKS add-on)."
  type        = map(list(string))
  default     = null
}

variable "enable_guardduty_organization" {
  description = "Auto-enable GuardDuty and its plans in every member account."
  type        = bool
  default     = true
}

variable "enable_securityhub" {
  description = "Security Hub in the security account (false only against emulators)."
  type        = bool
  default     = true
}

variable "enable_securityhub_central_configuration" {
  description = "Security Hub central configuration: aggregator, configuration policy with the standards, associated with the root."
  type        = bool
  default     = true
}

variable "securityhub_standards" {
  description = "Security Hub standards as <standard>/v/<version>; null keeps AWS Foundational Security Best Practices 1.0.0 and CIS 3.0.0."
  type        = list(string)
  default     = null
}

variable "securityhub_disabled_controls" {
  description = "Security Hub control ids switched off organisation-wide."
  type        = list(string)
  default     = []
}

variable "enable_access_analyzer" {
  description = "Organisation-wide IAM Access Analyzer (external access)."
  type        = bool
  default     = true
}

variable "enable_unused_access_analyzer" {
  description = "Organisation unused-access analyzer (priced per role and user)."
  type        = bool
  default     = false
}
