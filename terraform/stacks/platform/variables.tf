# ---- common inputs (passed by roles/terraform_stack) ----------------------------------------
variable "name" {
  description = "Platform name, the first part of every resource name (inventory: platform_name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name must be 2-21 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment of this state (inventory: platform_env)."
  type        = string

  validation {
    condition     = contains(["local", "dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of local, dev, staging, prod."
  }
}

variable "region" {
  description = "AWS region of the environment (inventory: platform_region)."
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

# ---- platform inputs (inventory: platform_platform_* via terraform_stack_vars) --------------
variable "vpc_cidr" {
  description = "IPv4 CIDR of the environment's VPC (/16 to /20); must not overlap other environments if they are peered."
  type        = string
}

variable "availability_zones" {
  description = "Three availability zones; null takes the first three zones of the region."
  type        = list(string)
  default     = null
}

variable "nat_gateway_mode" {
  description = "single (dev) or per_az (staging, prod)."
  type        = string
  default     = "per_az"
}

variable "interface_endpoints" {
  description = "Interface VPC endpoints (service suffixes); [] to save their hourly cost."
  type        = list(string)
  default     = ["ecr.api", "ecr.dkr", "sts", "logs"]
}

variable "log_retention_days" {
  description = "Retention of the VPC flow log and EKS control-plane log groups."
  type        = number
  default     = 365
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version (inventory: platform_eks_version)."
  type        = string
  default     = "1.36"
}

variable "endpoint_public_access_cidrs" {
  description = "CIDRs allowed on the public API endpoint (the Ansible controller's egress addresses); [] keeps the endpoint private."
  type        = list(string)
  default     = []
}

variable "endpoint_private_access_cidrs" {
  description = "CIDRs allowed to the private API endpoint on 443 (the controller's network inside the VPC or connected to it)."
  type        = list(string)
  default     = []
}

variable "endpoint_private_access_security_group_ids" {
  description = "Security groups in the VPC allowed to the private API endpoint on 443 (an AWX execution node, an SSM port-forwarding host)."
  type        = list(string)
  default     = []
}

variable "admin_principal_arns" {
  description = "IAM roles granted cluster-admin through EKS access entries."
  type        = list(string)
  default     = []
}

variable "node_groups" {
  description = "Managed node groups (see terraform/modules/eks); sizes and capacity type per environment."
  type = map(object({
    instance_types      = list(string)
    capacity_type       = optional(string, "ON_DEMAND")
    min_size            = number
    max_size            = number
    desired_size        = number
    disk_size_gib       = optional(number, 50)
    ami_type            = optional(string, "AL2023_x86_64_STANDARD")
    labels              = optional(map(string), {})
    taints              = optional(list(object({ key = string, value = string, effect = string })), [])
    max_unavailable_pct = optional(number, 33)
  }))
}

variable "node_detailed_monitoring" {
  description = "EC2 detailed (1-minute) monitoring of the nodes, about 2.10 USD per node and month; off uses the free 5-minute metrics."
  type        = bool
  default     = false
}

variable "eks_addons_enabled" {
  description = "Install the EKS add-ons. false only against an emulator without the EKS add-on API (the local inventory on moto)."
  type        = bool
  default     = true
}

variable "eks_access_entries_enabled" {
  description = "Create the EKS access entries (admins, node role). false only against an emulator without the access entry API (the local inventory on moto)."
  type        = bool
  default     = true
}

variable "addon_versions" {
  description = "EKS add-on builds by add-on name, one entry for each of coredns, kube-proxy, vpc-cni, aws-ebs-csi-driver and aws-efs-csi-driver; null takes the EKS default build for kubernetes_version (output unpinned_addons lists those, and the platform step warns)."
  type        = map(string)
  default = {
    coredns            = null
    kube-proxy         = null
    vpc-cni            = null
    aws-ebs-csi-driver = null
    aws-efs-csi-driver = null
  }

  validation {
    condition     = toset(keys(var.addon_versions)) == toset(local.required_addons)
    error_message = "addon_versions needs one entry (a build or null) for each of ${join(", ", local.required_addons)}, and no other: an add-on left out or misspelt would silently float."
  }
}

variable "secrets_name_prefix" {
  description = "Secrets Manager path of this environment; null means <name>/<environment>/."
  type        = string
  default     = null
}

variable "redis" {
  description = "ElastiCache Redis: node type and count (1 = single node; 2+ = replicas with Multi-AZ failover), engine, snapshots, token version (increase to rotate)."
  type = object({
    enabled                  = optional(bool, true)
    node_type                = optional(string, "cache.t4g.small")
    num_cache_clusters       = optional(number, 1)
    engine_version           = optional(string, "7.1")
    snapshot_retention_limit = optional(number, 7)
    auth_token_version       = optional(number, 1)
  })
  default = {}
}

variable "documentdb" {
  description = "Optional Amazon DocumentDB cluster, the in-VPC alternative to MongoDB Atlas (off by default): instance class and count, backups, deletion protection."
  type = object({
    enabled               = optional(bool, false)
    engine_version        = optional(string, "5.0.0")
    instance_class        = optional(string, "db.t4g.medium")
    instance_count        = optional(number, 1)
    backup_retention_days = optional(number, 7)
    deletion_protection   = optional(bool, true)
  })
  # Written out (not {}): checkov reads an empty default's attributes from the type expression.
  default = {
    enabled               = false
    engine_version        = "5.0.0"
    instance_class        = "db.t4g.medium"
    instance_count        = 1
    backup_retention_days = 7
    deletion_protection   = true
  }

  # At least a week of point-in-time restore (checkov's CKV_AWS_360 threshold, which checkov cannot
  # evaluate inside this stack: docs/terraform.md, "checkov"); DocumentDB keeps at most 35 days.
  validation {
    condition     = var.documentdb.backup_retention_days >= 7 && var.documentdb.backup_retention_days <= 35
    error_message = "documentdb.backup_retention_days must be between 7 and 35."
  }
}

variable "queue" {
  description = "Backend SQS queue: visibility timeout, retention, receives before the dead-letter queue, and the DLQ's redrive allow policy (restrict_dlq_sources; false only on moto, which does not store it)."
  type = object({
    visibility_timeout_seconds = optional(number, 300)
    message_retention_seconds  = optional(number, 345600)
    max_receive_count          = optional(number, 5)
    restrict_dlq_sources       = optional(bool, true)
  })
  default = {}
}

variable "buckets" {
  description = "S3 buckets (assets/exports and logs): noncurrent-version retention, log expiry, force_destroy for throw-away environments, and access_logging of the assets bucket into the logs bucket (false only on moto, whose PutBucketLogging fails on our log bucket's policy)."
  type = object({
    noncurrent_version_expiration_days = optional(number, 90)
    log_expiration_days                = optional(number, 365)
    force_destroy                      = optional(bool, false)
    access_logging                     = optional(bool, true)
  })
  default = {}
}

variable "efs" {
  description = "EFS model store: when files move to Infrequent Access, and whether AWS Backup covers it."
  type = object({
    transition_to_ia = optional(string, "AFTER_30_DAYS")
    backup           = optional(bool, true)
  })
  default = {}
}

variable "app_secrets" {
  description = "Secrets Manager containers (name after <name>/<environment>/ => description); values are set out of band or by their owning step."
  type = object({
    secrets = optional(map(string), {
      "admin-oidc" = "OIDC client (clientID, clientSecret) of the admin authentication on the load balancer"
    })
    recovery_window_in_days = optional(number, 30)
  })
  default = {}
}

variable "edge" {
  description = "Public edge: certificate host names and Route 53 zone (both null: no certificate), WAF on/off, per-IP rate limit, SQLi rules, WAF log retention."
  type = object({
    domain_name               = optional(string)
    subject_alternative_names = optional(list(string), [])
    hosted_zone_id            = optional(string)
    waf_enabled               = optional(bool, true)
    waf_rate_limit            = optional(number, 2000)
    waf_sqli_rules            = optional(bool, false)
    log_retention_days        = optional(number, 365)
  })
  default = {}
}

variable "container_log_retention_days" {
  description = "Retention of the container log group Fluent Bit writes to (observability step)."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.container_log_retention_days)
    error_message = "container_log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "service_alarms" {
  description = "CloudWatch alarms on ElastiCache, the backend's dead-letter queue and the ALBs (ARN suffixes, known once the load balancer controller made them), to an encrypted SNS topic with optional e-mail subscriptions."
  type = object({
    enabled                = optional(bool, true)
    alb_arn_suffixes       = optional(list(string), [])
    alb_5xx_threshold      = optional(number, 10)
    redis_cpu_threshold    = optional(number, 80)
    redis_memory_threshold = optional(number, 80)
    email_endpoints        = optional(list(string), [])
  })
  default = {}
}
