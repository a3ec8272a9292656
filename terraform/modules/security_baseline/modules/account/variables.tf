variable "password_minimum_length" {
  description = "Minimum IAM user password length (CIS: 14 or more). IAM users are denied by SCP in workload accounts; the policy covers the ones that remain. Every character class is always required."
  type        = number
  default     = 14

  validation {
    condition     = var.password_minimum_length >= 14 && var.password_minimum_length <= 128
    error_message = "password_minimum_length must be 14-128."
  }
}

variable "password_reuse_prevention" {
  description = "Number of previous passwords an IAM user may not reuse (CIS: 24)."
  type        = number
  default     = 24

  validation {
    condition     = var.password_reuse_prevention >= 1 && var.password_reuse_prevention <= 24
    error_message = "password_reuse_prevention must be 1-24."
  }
}

variable "password_max_age_days" {
  description = "Days after which an IAM user password expires (90 or fewer)."
  type        = number
  default     = 90

  validation {
    condition     = var.password_max_age_days >= 1 && var.password_max_age_days <= 90
    error_message = "password_max_age_days must be 1-90."
  }
}

variable "enable_s3_public_access_block" {
  description = "Block public ACLs and policies on every bucket of the account (S3 account-level public access block)."
  type        = bool
  default     = true
}

variable "enable_ebs_encryption_by_default" {
  description = "Encrypt every new EBS volume and snapshot copy of the account in this region."
  type        = bool
  default     = true
}

variable "config_bucket_name" {
  description = "Central Config bucket in the log archive account."
  type        = string
}

variable "config_kms_key_arn" {
  description = "KMS key of the central Config bucket."
  type        = string
}

variable "config_include_global_resource_types" {
  description = "Record global resources (IAM) in this region: true in the home region only, or they are recorded once per region."
  type        = bool
  default     = true
}

variable "config_recording_frequency" {
  description = "CONTINUOUS records every change; DAILY records once a day at a lower price (fine for sandbox)."
  type        = string
  default     = "CONTINUOUS"

  validation {
    condition     = contains(["CONTINUOUS", "DAILY"], var.config_recording_frequency)
    error_message = "config_recording_frequency must be CONTINUOUS or DAILY."
  }
}

variable "create_config_service_linked_role" {
  description = "Create AWSServiceRoleForConfig; false when the account already has it (Security Hub or an earlier Config setup creates it)."
  type        = bool
  default     = true
}
