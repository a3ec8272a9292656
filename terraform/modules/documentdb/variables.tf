variable "name" {
  description = "Cluster identifier, <platform_name>-<platform_env> (for example chatbot-prod)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,54}$", var.name)) && !endswith(var.name, "-") && !strcontains(var.name, "--")
    error_message = "name must be 1-55 lowercase letters, digits or single hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "VPC of the security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets, one per availability zone."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs at least two subnets in different availability zones (DocumentDB subnet groups)."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups whose members may connect (the EKS cluster security group that nodes and pods use)."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for storage encryption."
  type        = string
}

variable "engine_version" {
  description = "DocumentDB engine version (major.minor.patch); the parameter group family follows from it."
  type        = string
  default     = "5.0.0"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.engine_version))
    error_message = "engine_version looks like 5.0.0."
  }
}

variable "master_username" {
  description = "Master user name; its password is generated and kept in Secrets Manager by DocumentDB."
  type        = string
  default     = "chatbotadmin"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9]{0,62}$", var.master_username)) && !contains(["admin", "root"], lower(var.master_username))
    error_message = "master_username must start with a letter, hold only letters and digits, and not be a reserved word."
  }
}

variable "instance_class" {
  description = "Instance class (db.t4g.medium for dev, db.r6g.large or larger for production)."
  type        = string
  default     = "db.t4g.medium"
}

variable "instance_count" {
  description = "Instances: 1 is a writer only; 2-16 add replicas in other zones that take over on failure."
  type        = number
  default     = 1

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 16
    error_message = "instance_count must be between 1 and 16."
  }
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time restore)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 1 and 35."
  }
}

variable "profiler_threshold_ms" {
  description = "Operations slower than this are written to the profiler log."
  type        = number
  default     = 200
}

variable "deletion_protection" {
  description = "Refuse deletion of the cluster. Keep true outside throw-away environments."
  type        = bool
  default     = true
}

variable "log_kms_key_arn" {
  description = "Customer managed KMS key of the audit and profiler log groups; its key policy must let CloudWatch Logs use it for /aws/docdb/<name>/* (the platform stack's logs key does)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_days" {
  description = "Retention of the audit and profiler log groups in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (for example 30, 90, 365)."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
