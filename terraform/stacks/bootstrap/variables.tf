variable "name" {
  description = "Platform name, the first part of every resource name (inventory: platform_name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name must be 2-21 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment this state belongs to (inventory: platform_env)."
  type        = string

  validation {
    condition     = contains(["local", "dev", "staging", "prod", "shared", "management"], var.environment)
    error_message = "environment must be one of local, dev, staging, prod, shared, management."
  }
}

variable "region" {
  description = "AWS region of the state bucket (inventory: platform_state_region)."
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

variable "state_bucket_name" {
  description = "Name of the state bucket (inventory: platform_state_bucket)."
  type        = string
}

variable "state_access_log_bucket" {
  description = "Existing bucket for S3 server access logs of the state bucket, or null for none."
  type        = string
  default     = null
}

variable "state_kms_key_administrator_arns" {
  description = "IAM principals allowed to administer the state encryption key besides the account root."
  type        = list(string)
  default     = []
}

variable "state_noncurrent_version_expiration_days" {
  description = "Days a superseded state version is kept."
  type        = number
  default     = 90
}

variable "state_noncurrent_versions_to_keep" {
  description = "Newest superseded versions of each state file kept regardless of age; null for none (moto drops this setting)."
  type        = number
  default     = 20
}

variable "state_attach_bucket_policy" {
  description = "Attach the bucket policy (TLS 1.2+ only, state writes only with SSE-KMS and the state key). false only against moto, which ignores policy conditions and would deny every request."
  type        = bool
  default     = true
}

variable "state_force_destroy" {
  description = "Allow deleting the state bucket with its contents (throw-away environments only)."
  type        = bool
  default     = false
}
