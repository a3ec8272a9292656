variable "name" {
  description = "Globally unique bucket name, <platform_name>-<platform_env>-<purpose>-<account id>."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "name must be a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)."
  }
}

variable "kms_key_arn" {
  description = "KMS key for SSE-KMS with bucket keys; null selects SSE-S3 (required for a server-access-log target)."
  type        = string
  default     = null
}

variable "noncurrent_version_expiration_days" {
  description = "Days a replaced or deleted object version is kept."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "noncurrent_versions_to_keep" {
  description = "Newest replaced versions of each object kept regardless of age (1-100); null: only the age rule applies."
  type        = number
  default     = null

  validation {
    condition     = var.noncurrent_versions_to_keep == null || try(var.noncurrent_versions_to_keep >= 1 && var.noncurrent_versions_to_keep <= 100, false)
    error_message = "noncurrent_versions_to_keep must be null or between 1 and 100 (the S3 limit)."
  }
}

variable "expire_delete_markers" {
  description = "Remove delete markers that no longer hide any version. S3 does not combine this with expiration_days (which cleans them up itself)."
  type        = bool
  default     = false

  validation {
    condition     = !(var.expire_delete_markers && var.expiration_days != null)
    error_message = "expire_delete_markers cannot be combined with expiration_days."
  }
}

variable "transition_to_ia_days" {
  description = "Move current objects to STANDARD_IA after this many days (>= 30); null keeps them in STANDARD."
  type        = number
  default     = null

  validation {
    condition     = var.transition_to_ia_days == null || try(var.transition_to_ia_days >= 30, false)
    error_message = "transition_to_ia_days must be null or at least 30 (S3's minimum for STANDARD_IA)."
  }
}

variable "transition_to_glacier_days" {
  description = "Move current objects to GLACIER (Flexible Retrieval) after this many days (archives such as audit logs); null keeps them where they are."
  type        = number
  default     = null

  validation {
    condition     = var.transition_to_glacier_days == null || try(var.transition_to_glacier_days >= 1, false)
    error_message = "transition_to_glacier_days must be null or at least 1."
  }
}

variable "expiration_days" {
  description = "Expire current objects after this many days (log buckets); null keeps them."
  type        = number
  default     = null
}

variable "object_lock" {
  description = "S3 Object Lock default retention (WORM) for audit archives: mode GOVERNANCE (removable with s3:BypassGovernanceRetention) or COMPLIANCE (nobody, not even root, can shorten it) and days. Only takes effect on a new bucket; null: no object lock."
  type = object({
    mode = string
    days = number
  })
  default = null

  validation {
    condition     = var.object_lock == null || try(contains(["GOVERNANCE", "COMPLIANCE"], var.object_lock.mode) && var.object_lock.days >= 1, false)
    error_message = "object_lock.mode must be GOVERNANCE or COMPLIANCE and object_lock.days at least 1."
  }
}

variable "policy_documents" {
  description = "Further bucket policy documents (JSON) merged into the bucket policy, for service principals that deliver into the bucket (CloudTrail, Config). Statement ids must not collide with the module's own."
  type        = list(string)
  default     = []
}

variable "logging_target_bucket" {
  description = "Bucket that receives this bucket's server access logs (under s3-access/<name>/); null: no access logging."
  type        = string
  default     = null
}

variable "logging_target_prefix" {
  description = "Key prefix of this bucket's server access logs in logging_target_bucket; null: s3-access/<name>/, the prefix accept_access_logs_from allows."
  type        = string
  default     = null
}

variable "accept_access_logs_from" {
  description = "ARNs of buckets whose server access logs this bucket accepts (makes it a log target); each writes under s3-access/<source bucket>/ only."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.accept_access_logs_from : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", arn))])
    error_message = "accept_access_logs_from takes bucket ARNs such as arn:aws:s3:::my-bucket."
  }
}

variable "attach_policy" {
  description = "Attach the bucket policy (TLS 1.2+ only, plus policy_documents). false only against emulators that ignore policy conditions (moto), which would deny every request."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete a non-empty bucket. Keep false outside throw-away environments."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for the bucket."
  type        = map(string)
  default     = {}
}
