variable "name" {
  description = "Replication group id, <platform_name>-<platform_env> (for example chatbot-prod)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,39}$", var.name)) && !endswith(var.name, "-") && !strcontains(var.name, "--")
    error_message = "name must be 1-40 lowercase letters, digits or single hyphens, starting with a letter."
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
    error_message = "subnet_ids needs at least two subnets (ElastiCache subnet groups and Multi-AZ)."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups whose members may connect (the EKS cluster security group that nodes and pods use)."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for data at rest and the AUTH token secret."
  type        = string
}

variable "secret_name_prefix" {
  description = "Secrets Manager name prefix of the environment (<platform_name>/<platform_env>/); the token is <prefix>redis."
  type        = string

  validation {
    condition     = endswith(var.secret_name_prefix, "/")
    error_message = "secret_name_prefix must end with /."
  }
}

variable "secret_recovery_window_in_days" {
  description = "Days a deleted secret can be restored (0 deletes at once; only for throw-away environments)."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_recovery_window_in_days == 0 || (var.secret_recovery_window_in_days >= 7 && var.secret_recovery_window_in_days <= 30)
    error_message = "secret_recovery_window_in_days must be 0 or between 7 and 30."
  }
}

variable "auth_token_version" {
  description = "Increase to generate a new AUTH token (rotated with ROTATE: old and new both work until the next change)."
  type        = number
  default     = 1
}

variable "engine_version" {
  description = "Redis OSS engine version."
  type        = string
  default     = "7.1"
}

variable "node_type" {
  description = "Cache node type (Graviton t4g/m7g/r7g are fine here: a managed service, not our image)."
  type        = string
  default     = "cache.t4g.small"
}

variable "num_cache_clusters" {
  description = "Nodes: 1 (dev, no failover) or 2-6 (one primary and replicas across zones with automatic failover and Multi-AZ)."
  type        = number
  default     = 1

  validation {
    condition     = var.num_cache_clusters >= 1 && var.num_cache_clusters <= 6
    error_message = "num_cache_clusters must be between 1 and 6."
  }
}

variable "snapshot_retention_limit" {
  description = "Days of automatic snapshots (0 disables them)."
  type        = number
  default     = 7
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
