variable "name" {
  description = "Resource name prefix, <platform_name>-<platform_env> (for example chatbot-dev)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "cluster_name" {
  description = "EKS cluster name; scopes the cluster-autoscaler and load balancer controller permissions by tag."
  type        = string
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN."
  }
}

variable "oidc_issuer" {
  description = "OIDC issuer without https:// (for example oidc.eks.eu-west-1.amazonaws.com/id/ABC), the prefix of the :sub and :aud keys."
  type        = string

  validation {
    condition     = !startswith(var.oidc_issuer, "https://")
    error_message = "oidc_issuer must not start with https://."
  }
}

variable "service_accounts" {
  description = "Namespace and service account each role is pinned to. Override only if the Helm releases use other names. Only efs_csi may name a pattern (efs-csi-*: the EFS CSI add-on runs its controller and its node pods under efs-csi-controller-sa and efs-csi-node-sa, both with this role)."
  type = object({
    aws_load_balancer_controller = optional(object({ namespace = string, name = string }), { namespace = "kube-system", name = "aws-load-balancer-controller" })
    cluster_autoscaler           = optional(object({ namespace = string, name = string }), { namespace = "kube-system", name = "cluster-autoscaler" })
    ebs_csi                      = optional(object({ namespace = string, name = string }), { namespace = "kube-system", name = "ebs-csi-controller-sa" })
    efs_csi                      = optional(object({ namespace = string, name = string }), { namespace = "kube-system", name = "efs-csi-*" })
    vpc_cni                      = optional(object({ namespace = string, name = string }), { namespace = "kube-system", name = "aws-node" })
    external_secrets             = optional(object({ namespace = string, name = string }), { namespace = "external-secrets", name = "external-secrets" })
    chatbot_backend              = optional(object({ namespace = string, name = string }), { namespace = "chatbot", name = "chatbot-backend" })
    fluent_bit                   = optional(object({ namespace = string, name = string }), { namespace = "monitoring", name = "aws-for-fluent-bit" })
  })
  default = {}

  validation {
    condition     = alltrue([for k, sa in var.service_accounts : !strcontains(sa.namespace, "*") && (!strcontains(sa.name, "*") || k == "efs_csi")])
    error_message = "Service accounts are exact names; only efs_csi may use a pattern (its controller and node service accounts share the role)."
  }
}

variable "secrets_name_prefix" {
  description = "Secrets Manager name prefix External Secrets may read, this environment's path (for example chatbot/dev/)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]+/$", var.secrets_name_prefix))
    error_message = "secrets_name_prefix must be a Secrets Manager name path ending in /."
  }
}

variable "extra_secret_arns" {
  description = "Individual secrets outside secrets_name_prefix that External Secrets may also read (service-managed secrets such as DocumentDB's master user secret)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.extra_secret_arns : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[^*]+$", arn))])
    error_message = "extra_secret_arns takes full secret ARNs without wildcards."
  }
}

variable "secrets_kms_key_arns" {
  description = "Customer managed KMS keys encrypting this environment's secrets; decrypt is allowed only via Secrets Manager."
  type        = list(string)
  default     = []
}

variable "ebs_kms_key_arns" {
  description = "Customer managed KMS keys the EBS CSI driver may use for encrypted persistent volumes."
  type        = list(string)
  default     = []
}

variable "backend_queue_arns" {
  description = "SQS queues the chatbot backend sends to and consumes from."
  type        = list(string)
  default     = []
}

variable "backend_bucket_arns" {
  description = "S3 buckets the chatbot backend reads and writes objects in (assets, exports)."
  type        = list(string)
  default     = []
}

variable "backend_kms_key_arns" {
  description = "KMS keys of the backend's queues and buckets (data-key use only)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Extra tags for every resource of the module (provider default_tags still apply)."
  type        = map(string)
  default     = {}
}

variable "fluent_bit_log_group_arns" {
  description = "CloudWatch Logs groups Fluent Bit writes container logs to (arn:...:log-group:<name>, without :*); [] gives its role no permission."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.fluent_bit_log_group_arns : can(regex("^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:[^*:]+$", arn))])
    error_message = "fluent_bit_log_group_arns takes log group ARNs without wildcards or a :* suffix."
  }
}
