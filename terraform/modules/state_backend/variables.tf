variable "bucket_name" {
  description = "Name of the S3 bucket that stores Terraform state. Globally unique; by convention <platform_name>-<account or env>-tfstate."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name)) && !can(regex("\\.\\.", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name: 3-63 characters, lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before AWS deletes the state encryption key once it is scheduled for deletion."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30
    error_message = "kms_key_deletion_window_in_days must be between 7 and 30."
  }
}

variable "kms_key_administrator_arns" {
  description = "IAM principals allowed to administer (but not use) the state encryption key, in addition to the account root. Empty keeps administration with the account's IAM policies."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.kms_key_administrator_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:", arn))])
    error_message = "kms_key_administrator_arns must contain IAM ARNs."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which a superseded state version is deleted. State history is the rollback path after a bad apply, so keep it generous."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "noncurrent_versions_to_keep" {
  description = "Number of most recent superseded versions of each state file kept regardless of age. Null keeps only the age rule (needed against moto, which drops this setting)."
  type        = number
  default     = 20

  validation {
    condition     = var.noncurrent_versions_to_keep == null ? true : (var.noncurrent_versions_to_keep >= 1 && var.noncurrent_versions_to_keep <= 100)
    error_message = "noncurrent_versions_to_keep must be between 1 and 100 (the S3 limit), or null."
  }
}

variable "access_log_bucket" {
  description = "Existing bucket that receives S3 server access logs for the state bucket. Null turns access logging off (CloudTrail data events are the alternative)."
  type        = string
  default     = null
}

variable "access_log_prefix" {
  description = "Key prefix for the access logs in access_log_bucket."
  type        = string
  default     = "s3-access/tfstate/"
}

variable "attach_bucket_policy" {
  description = "Attach the bucket policy that denies requests without TLS 1.2+ and state writes not encrypted with the state key (SSE-KMS). Only emulators that ignore policy conditions (moto) need false."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Allow Terraform to delete the bucket while it still holds state. Leave false outside throw-away environments."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags applied to every resource of the module (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
