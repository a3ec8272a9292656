variable "name" {
  description = "Queue name, <platform_name>-<platform_env>-<purpose>; the DLQ is <name>-dlq."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,76}$", var.name))
    error_message = "name must be 1-76 characters of letters, digits, _ or - (80 with the -dlq suffix)."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for server-side encryption of both queues."
  type        = string
}

variable "visibility_timeout_seconds" {
  description = "How long a received message stays hidden; longer than the slowest consumer's processing."
  type        = number
  default     = 300

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be between 0 and 43200."
  }
}

variable "message_retention_seconds" {
  description = "How long the main queue keeps a message (the DLQ keeps 14 days)."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600
    error_message = "message_retention_seconds must be between 60 and 1209600."
  }
}

variable "max_receive_count" {
  description = "Receives before a message moves to the DLQ."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

variable "restrict_dlq_sources" {
  description = "Attach a redrive allow policy so only this queue can use the DLQ. Keep true; false only where the API lacks RedriveAllowPolicy (moto server)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for both queues."
  type        = map(string)
  default     = {}
}
