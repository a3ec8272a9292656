variable "name" {
  description = "File system name, <platform_name>-<platform_env>-models."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets; one mount target each (one per availability zone)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "subnet_ids needs at least one subnet."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to mount over NFS (the EKS cluster security group of the nodes)."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for encryption at rest."
  type        = string
}

variable "transition_to_ia" {
  description = "When files move to Infrequent Access."
  type        = string
  default     = "AFTER_30_DAYS"

  validation {
    condition     = contains(["AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS", "AFTER_90_DAYS", "AFTER_180_DAYS", "AFTER_270_DAYS", "AFTER_365_DAYS"], var.transition_to_ia)
    error_message = "transition_to_ia must be one of EFS's AFTER_<n>_DAYS values."
  }
}

variable "backup" {
  description = "AWS Backup of the file system (daily, 35 days). Trained models can be rebuilt from the training data, so a non-production environment may switch it off to save cost."
  type        = bool
  default     = true
}

variable "posix_uid" {
  description = "Owner uid of the model directory and the uid every client acts as (the backend pods run as 10001)."
  type        = number
  default     = 10001
}

variable "posix_gid" {
  description = "Owner gid of the model directory."
  type        = number
  default     = 10001
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
