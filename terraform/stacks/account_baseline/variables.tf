variable "name" {
  description = "Platform name (inventory: platform_name)."
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
  description = "Home region: the Config recorder and EBS encryption by default are set here (inventory: platform_region)."
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

variable "account_key" {
  description = "Key of the account in the estate (management, or a key of platform_organization_accounts); accounts.yml passes it."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,30}$", var.account_key))
    error_message = "account_key must be 1-31 lower-case letters, digits or underscores, starting with a letter."
  }
}

variable "account_id" {
  description = "Id of the account the baseline is applied to (the organization stack's account_ids); accounts.yml passes it."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit account id."
  }
}

variable "management_account_id" {
  description = "Id of the management account, whose credentials run the step: that account is not reached through a role."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.management_account_id))
    error_message = "management_account_id must be a 12-digit account id."
  }
}

variable "account_access_role_name" {
  description = "Role assumed in a member account (created with the account by Organizations)."
  type        = string
  default     = "OrganizationAccountAccessRole"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.account_access_role_name))
    error_message = "account_access_role_name must be a valid IAM role name."
  }
}

variable "config_bucket_name" {
  description = "Central AWS Config bucket in the log archive account (the security stack's log_buckets.config)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.config_bucket_name))
    error_message = "config_bucket_name must be a valid S3 bucket name."
  }
}

variable "config_kms_key_arn" {
  description = "KMS key of the central Config bucket (the security stack's log_key_arn)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.config_kms_key_arn))
    error_message = "config_kms_key_arn must be a KMS key ARN."
  }
}

variable "config_daily_accounts" {
  description = "Account keys whose Config records daily instead of continuously (cheaper, for accounts nobody audits change by change)."
  type        = list(string)
  default     = ["sandbox"]
}

variable "import_accounts" {
  description = "Account keys whose baseline already exists (made by the security stack before this stack existed): imported, not created. An account created later must not be listed."
  type        = list(string)
  default     = []
}

variable "password_minimum_length" {
  description = "Minimum IAM password length (14 or more); every character class is always required."
  type        = number
  default     = 14
}

variable "password_reuse_prevention" {
  description = "Previous passwords an IAM user may not reuse (1-24)."
  type        = number
  default     = 24
}

variable "password_max_age_days" {
  description = "Days after which IAM user passwords expire (90 or fewer)."
  type        = number
  default     = 90
}

variable "enable_s3_public_access_block" {
  description = "S3 account-level public access block."
  type        = bool
  default     = true
}

variable "enable_ebs_encryption_by_default" {
  description = "EBS encryption by default (home region)."
  type        = bool
  default     = true
}

variable "create_config_service_linked_role" {
  description = "Create AWSServiceRoleForConfig; false when the account already has it."
  type        = bool
  default     = true
}
