variable "name" {
  description = "Name of the web ACL and its log group, <platform_name>-<platform_env>."
  type        = string
}

variable "domain_name" {
  description = "Public host name of the chatbot (for example chatbot.example.com); null: no certificate."
  type        = string
  default     = null
}

variable "subject_alternative_names" {
  description = "Further names on the certificate."
  type        = list(string)
  default     = []
}

variable "hosted_zone_id" {
  description = "Route 53 public hosted zone that validates the certificate; null: no certificate (bring your own ARN)."
  type        = string
  default     = null
}

variable "waf_enabled" {
  description = "Create the WAFv2 web ACL."
  type        = bool
  default     = true
}

variable "waf_rate_limit" {
  description = "Requests per 5 minutes from one IP address before it is blocked."
  type        = number
  default     = 2000

  validation {
    condition     = var.waf_rate_limit >= 10 && var.waf_rate_limit <= 2000000000
    error_message = "waf_rate_limit must be between 10 and 2000000000."
  }
}

variable "waf_sqli_rules" {
  description = "Add the AWS SQL injection rule group (the app uses MongoDB, so it mostly adds cost)."
  type        = bool
  default     = false
}

variable "log_kms_key_arn" {
  description = "KMS key of the WAF log group (its policy must allow CloudWatch Logs for aws-waf-logs-<name>)."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the WAF logs."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
