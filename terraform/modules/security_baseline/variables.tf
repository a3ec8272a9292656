variable "name" {
  description = "Prefix of the organisation-level resource names (trail, key alias, alarms, analyzer), for example chatbot-org."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "organization_id" {
  description = "Organization id (o-...): CloudTrail writes the member accounts' logs under AWSLogs/<organization id>/."
  type        = string

  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must look like o-abcd123456."
  }
}

variable "organization_root_id" {
  description = "Organization root id (r-...): the Security Hub configuration policy is associated with it, so every account gets it."
  type        = string

  validation {
    condition     = can(regex("^r-[a-z0-9]{4,32}$", var.organization_root_id))
    error_message = "organization_root_id must look like r-ab12."
  }
}

variable "member_account_ids" {
  description = "Ids of every account whose AWS Config delivers into the central bucket (all accounts of the organisation, management included)."
  type        = list(string)

  validation {
    condition     = length(var.member_account_ids) > 0 && alltrue([for id in var.member_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "member_account_ids must be 12-digit account ids (at least one)."
  }
}

variable "cloudtrail_bucket_name" {
  description = "Bucket in the log archive account for the organisation trail (globally unique; never renamed once object lock is on)."
  type        = string
}

variable "config_bucket_name" {
  description = "Bucket in the log archive account for AWS Config snapshots and history of every account."
  type        = string
}

variable "access_log_bucket_name" {
  description = "Bucket in the log archive account that receives the server access logs of the two log buckets."
  type        = string
}

variable "log_object_lock" {
  description = "Object Lock default retention for the CloudTrail and Config buckets (mode GOVERNANCE or COMPLIANCE, days); null: no object lock. Takes effect only when the buckets are created."
  type = object({
    mode = string
    days = number
  })
  default = null
}

variable "log_transition_to_glacier_days" {
  description = "Days after which log objects move to S3 Glacier Flexible Retrieval."
  type        = number
  default     = 90
}

variable "log_expiration_days" {
  description = "Days after which log objects are deleted (7 years by default, a common audit retention)."
  type        = number
  default     = 2557

  validation {
    condition     = var.log_expiration_days >= 365
    error_message = "log_expiration_days must be at least 365: audit logs are kept for a year or more."
  }
}

variable "enable_log_bucket_access_logging" {
  description = "Server access logging of the trail and Config buckets into the access log bucket (false only on emulators that refuse it)."
  type        = bool
  default     = true
}

variable "force_destroy_log_buckets" {
  description = "Let terraform destroy delete non-empty log buckets. Only for throw-away estates (the local moto run)."
  type        = bool
  default     = false
}

variable "trail_log_retention_days" {
  description = "Retention of the organisation trail's CloudWatch log group, which feeds the security alarms."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.trail_log_retention_days)
    error_message = "trail_log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ..., 365, 400, ...)."
  }
}

variable "alarm_email_addresses" {
  description = "E-mail addresses subscribed to the security alarms topic (each must confirm the subscription once)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", a))])
    error_message = "alarm_email_addresses must be e-mail addresses."
  }
}

variable "break_glass_permission_set" {
  description = "Name of the break-glass permission set; any sign-in through it raises the break_glass_sign_in alarm."
  type        = string
  default     = "BreakGlass"
}

variable "guardduty_features" {
  description = "GuardDuty protection plans turned on for the administrator and auto-enabled for every member: feature name to its additional configurations (agent management)."
  type        = map(list(string))
  nullable    = false
  default = {
    S3_DATA_EVENTS     = []
    EKS_AUDIT_LOGS     = []
    RUNTIME_MONITORING = ["EKS_ADDON_MANAGEMENT"]
  }

  validation {
    condition     = alltrue([for f in keys(var.guardduty_features) : contains(["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING"], f)])
    error_message = "guardduty_features keys must be GuardDuty feature names (S3_DATA_EVENTS, EKS_AUDIT_LOGS, EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, LAMBDA_NETWORK_LOGS, RUNTIME_MONITORING)."
  }
}

variable "enable_guardduty_organization" {
  description = "Auto-enable GuardDuty and its features in every member account (organisation configuration of the delegated administrator)."
  type        = bool
  default     = true
}

variable "enable_securityhub" {
  description = "Enable Security Hub in the delegated administrator (false only on emulators without it)."
  type        = bool
  default     = true
}

variable "enable_securityhub_central_configuration" {
  description = "Run Security Hub with central configuration: a finding aggregator in the home region and one configuration policy with the standards, associated with the organisation root (needs enable_securityhub)."
  type        = bool
  default     = true

  validation {
    condition     = !var.enable_securityhub_central_configuration || var.enable_securityhub
    error_message = "enable_securityhub_central_configuration needs enable_securityhub."
  }
}

variable "securityhub_standards" {
  description = "Security Hub standards enabled in every account, as <standard>/v/<version> (the region is added)."
  type        = list(string)
  nullable    = false
  default = [
    "aws-foundational-security-best-practices/v/1.0.0",
    "cis-aws-foundations-benchmark/v/3.0.0",
  ]
}

variable "securityhub_disabled_controls" {
  description = "Security Hub control ids switched off organisation-wide (each with a reason in docs/accounts.md)."
  type        = list(string)
  default     = []
}

variable "securityhub_linked_regions" {
  description = "Regions whose Security Hub findings are aggregated into the home region ([]: the home region only)."
  type        = list(string)
  default     = []
}

variable "config_aggregator_regions" {
  description = "Regions the organisation Config aggregator collects from."
  type        = list(string)
}

variable "enable_access_analyzer" {
  description = "Create the organisation-wide IAM Access Analyzer (external access) in the delegated administrator."
  type        = bool
  default     = true
}

variable "enable_unused_access_analyzer" {
  description = "Also create the organisation unused-access analyzer (priced per IAM role and user analysed)."
  type        = bool
  default     = false
}

variable "unused_access_age_days" {
  description = "Days without use after which the unused-access analyzer reports a permission, role or key."
  type        = number
  default     = 90
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
