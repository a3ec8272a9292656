variable "name" {
  description = "Alias name without the alias/ prefix, for example chatbot-prod-data."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,250}$", var.name)) && !startswith(var.name, "aws/")
    error_message = "name must be 1-250 characters of letters, digits, /, _ or - and must not start with aws/."
  }
}

variable "description" {
  description = "What the key encrypts (shown in the KMS console)."
  type        = string
}

variable "cloudwatch_log_group_arns" {
  description = "ARN patterns of the CloudWatch log groups allowed to encrypt with the key (arn:...:log-group:<name>); [] grants CloudWatch Logs nothing."
  type        = list(string)
  default     = []
}

variable "policy_documents" {
  description = "Further key policy documents (JSON) merged into the key policy, for service principals or other accounts that use the key (CloudTrail, Config, CloudWatch alarms). Statement ids must not collide with the module's own."
  type        = list(string)
  default     = []
}

variable "deletion_window_in_days" {
  description = "Waiting period before a scheduled deletion takes effect."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be between 7 and 30."
  }
}

variable "tags" {
  description = "Tags for the key."
  type        = map(string)
  default     = {}
}
