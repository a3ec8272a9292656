variable "name_prefix" {
  description = "Name prefix of the environment's secrets, <platform_name>/<platform_env>/ (External Secrets may read only this prefix)."
  type        = string

  validation {
    condition     = endswith(var.name_prefix, "/")
    error_message = "name_prefix must end with /."
  }
}

variable "secrets" {
  description = "Secret name (after the prefix) => description."
  type        = map(string)

  validation {
    condition     = alltrue([for k in keys(var.secrets) : can(regex("^[a-zA-Z0-9/_+=.@-]+$", k))])
    error_message = "secret names may contain letters, digits and /_+=.@- only."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the secrets."
  type        = string
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can be restored (0 deletes at once; only for throw-away environments)."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_in_days == 0 || (var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30)
    error_message = "recovery_window_in_days must be 0 or between 7 and 30."
  }
}

variable "tags" {
  description = "Tags for every secret."
  type        = map(string)
  default     = {}
}
