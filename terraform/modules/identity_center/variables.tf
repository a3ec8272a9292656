variable "instance_arn" {
  description = "ARN of the IAM Identity Center instance. Null looks up the organisation's only instance."
  type        = string
  default     = null
}

variable "identity_store_id" {
  description = "Id of the identity store behind the instance. Null looks it up with the instance."
  type        = string
  default     = null
}

variable "enabled_permission_sets" {
  description = "Standard permission sets to create: PlatformAdmin, Developer, DeveloperReadOnly, ReadOnly, SecurityAudit, BillingViewer, BreakGlass."
  type        = list(string)
  nullable    = false
  default     = ["PlatformAdmin", "Developer", "DeveloperReadOnly", "ReadOnly", "SecurityAudit", "BillingViewer", "BreakGlass"]

  validation {
    condition     = alltrue([for p in var.enabled_permission_sets : contains(["PlatformAdmin", "Developer", "DeveloperReadOnly", "ReadOnly", "SecurityAudit", "BillingViewer", "BreakGlass"], p)])
    error_message = "enabled_permission_sets may only name the standard permission sets."
  }
}

variable "session_durations" {
  description = "Session duration overrides per permission set name, ISO 8601 (PT1H .. PT12H). Defaults: BreakGlass PT1H, PlatformAdmin/DeveloperReadOnly/BillingViewer PT4H, others PT8H."
  type        = map(string)
  nullable    = false
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.session_durations : can(regex("^PT([1-9]|1[0-2])H$", v))])
    error_message = "session_durations values must be whole hours between PT1H and PT12H."
  }

  validation {
    condition     = !contains(keys(var.session_durations), "BreakGlass") || lookup(var.session_durations, "BreakGlass", "PT1H") == "PT1H"
    error_message = "BreakGlass sessions are limited to one hour (PT1H)."
  }
}

variable "enable_permissions_boundaries" {
  description = "Attach permissions boundaries to permission sets (DeveloperReadOnly by ReadOnlyAccess, ReadOnly by ViewOnlyAccess: no later policy can grant them writes). False only for emulators without the API (moto)."
  type        = bool
  nullable    = false
  default     = true
}

variable "groups" {
  description = "Identity store groups by key: display name and description. With create_groups they are created here; otherwise they are looked up by display name (groups provisioned by an external IdP through SCIM)."
  type = map(object({
    display_name = string
    description  = optional(string)
  }))
  nullable = false
  default  = {}
}

variable "create_groups" {
  description = "Create the groups in the identity store (Identity Center directory). False when an external IdP provisions them."
  type        = bool
  nullable    = false
  default     = false
}

variable "account_ids" {
  description = "Map of account key to account id; assignments name accounts by key so plans stay known before accounts exist."
  type        = map(string)
  nullable    = false
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.account_ids : can(regex("^[0-9]{12}$", v))])
    error_message = "account_ids values must be 12-digit account ids."
  }
}

variable "assignments" {
  description = "Group-to-account assignments: each entry gives a group key, a permission set name and the account keys it applies to."
  type = list(object({
    group          = string
    permission_set = string
    accounts       = list(string)
  }))
  nullable = false
  default  = []

  validation {
    condition     = alltrue([for a in var.assignments : contains(keys(var.groups), a.group)])
    error_message = "Every assignment must name a group key defined in groups."
  }

  validation {
    condition     = alltrue([for a in var.assignments : contains(var.enabled_permission_sets, a.permission_set)])
    error_message = "Every assignment must name an enabled permission set."
  }

  validation {
    condition     = alltrue(flatten([for a in var.assignments : [for acc in a.accounts : contains(keys(var.account_ids), acc)]]))
    error_message = "Every assignment account must be a key of account_ids."
  }
}

variable "developer_prod_denied_data_actions" {
  description = "Data-plane read actions denied to DeveloperReadOnly on top of ReadOnlyAccess (production data and secrets stay out of reach)."
  type        = list(string)
  nullable    = false
  default = [
    "s3:GetObject", "s3:GetObjectVersion", "secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters",
    "ssm:GetParametersByPath", "kms:Decrypt", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem",
    "logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery", "athena:GetQueryResults", "ec2:GetPasswordData",
  ]
}

variable "tags" {
  description = "Tags for the permission sets."
  type        = map(string)
  nullable    = false
  default     = {}
}
