variable "name" {
  description = "Resource name prefix, <platform_name>-<platform_env> (for example chatbot-dev); the cluster is <name>-eks."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version (inventory: platform_eks_version). Upgrade one minor version at a time."
  type        = string
  default     = "1.36"

  validation {
    condition     = can(regex("^1\\.[0-9]+$", var.kubernetes_version)) && tonumber(split(".", var.kubernetes_version)[1]) >= 29
    error_message = "kubernetes_version must look like 1.NN and be 1.29 or newer."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
}

variable "node_subnet_ids" {
  description = "Private subnets (one per zone) for the managed node groups."
  type        = list(string)

  validation {
    condition     = length(var.node_subnet_ids) >= 2
    error_message = "node_subnet_ids needs subnets in at least two zones."
  }
}

variable "control_plane_subnet_ids" {
  description = "Subnets for the control-plane ENIs (the intra subnets)."
  type        = list(string)

  validation {
    condition     = length(var.control_plane_subnet_ids) >= 2
    error_message = "control_plane_subnet_ids needs subnets in at least two zones."
  }
}

variable "endpoint_public_access_cidrs" {
  description = "CIDRs allowed to reach the public API endpoint. Empty list: private endpoint only (reach it over VPN, Direct Connect or a bastion)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.endpoint_public_access_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "endpoint_public_access_cidrs must be valid CIDRs and must not contain 0.0.0.0/0."
  }
}

variable "endpoint_private_access_cidrs" {
  description = "CIDRs (inside the VPC or reaching it over peering, Transit Gateway, VPN or Direct Connect) allowed to the private API endpoint on 443: where the Ansible controller runs (AWX execution nodes, CI runners, an SSM port-forwarding host)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.endpoint_private_access_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "endpoint_private_access_cidrs must be valid CIDRs and must not contain 0.0.0.0/0."
  }
}

variable "endpoint_private_access_security_group_ids" {
  description = "Security groups (in the cluster's VPC) allowed to the private API endpoint on 443, for example the one of an AWX execution node or an SSM port-forwarding host."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for g in var.endpoint_private_access_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", g))])
    error_message = "endpoint_private_access_security_group_ids takes security group ids (sg-...)."
  }
}

variable "cluster_log_types" {
  description = "Control-plane log types sent to CloudWatch Logs."
  type        = list(string)
  default     = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  validation {
    condition     = alltrue([for t in var.cluster_log_types : contains(["api", "audit", "authenticator", "controllerManager", "scheduler"], t)])
    error_message = "cluster_log_types entries must be api, audit, authenticator, controllerManager or scheduler."
  }
}

variable "cluster_log_retention_days" {
  description = "Retention of the control-plane log group in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cluster_log_retention_days)
    error_message = "cluster_log_retention_days must be a value CloudWatch Logs accepts (for example 30, 90, 365)."
  }
}

variable "admin_principal_arns" {
  description = "IAM role or user ARNs granted cluster-admin through EKS access entries (AmazonEKSClusterAdminPolicy)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$", a))])
    error_message = "admin_principal_arns entries must be IAM role or user ARNs."
  }
}

variable "oidc_thumbprints" {
  description = "Optional CA thumbprints for the IRSA OIDC provider. Leave empty: IAM verifies EKS OIDC issuers against its own trusted CAs."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for t in var.oidc_thumbprints : can(regex("^[0-9a-fA-F]{40}$", t))])
    error_message = "oidc_thumbprints entries must be 40 hexadecimal characters."
  }
}

variable "node_groups" {
  description = <<-EOT
    Managed node groups by name. general runs everything; ml is labelled and tainted so only pods that tolerate
    workload=ml:NoSchedule (the NLU backend training/inference) land there. Only x86_64 AMI types are accepted
    because the chatbot backend image is built for amd64 only. The instance types of one group must share one
    shape (vCPUs, memory, GPUs; shapes.tf lists the accepted types): cluster-autoscaler sizes a group from a
    single template node. Several types of one shape still let Spot pick from more capacity pools.
  EOT
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
  default = {
    general = {
      instance_types = ["t3.large", "t3a.large"]
      min_size       = 2
      max_size       = 5
      desired_size   = 2
      labels         = { workload = "general" }
    }
    ml = {
      instance_types = ["c5.xlarge", "c6i.xlarge"]
      min_size       = 1
      max_size       = 3
      desired_size   = 1
      labels         = { workload = "ml" }
      taints         = [{ key = "workload", value = "ml", effect = "NO_SCHEDULE" }]
    }
  }

  validation {
    condition     = alltrue([for g in values(var.node_groups) : length(g.instance_types) > 0 && alltrue([for t in g.instance_types : contains(keys(local.instance_shapes), t)])])
    error_message = "Every node group needs instance types from the shape table in terraform/modules/eks/shapes.tf (x86_64 types with their vCPUs, memory and GPUs); unknown: ${join(", ", sort(setsubtract(flatten([for g in values(var.node_groups) : g.instance_types]), keys(local.instance_shapes))))}."
  }

  validation {
    condition     = alltrue([for g in values(var.node_groups) : length(distinct([for t in g.instance_types : lookup(local.instance_shapes, t, { vcpu = -1, memory_mib = -1, gpus = -1 })])) <= 1])
    error_message = "The instance types of a node group must have the same vCPUs, memory and GPUs (cluster-autoscaler sizes a group from one template node); mixed: ${join("; ", compact([for n, g in var.node_groups : length(distinct([for t in g.instance_types : lookup(local.shape_labels, t, t)])) > 1 ? format("%s = %s", n, join(", ", formatlist("%s (%s)", g.instance_types, [for t in g.instance_types : lookup(local.shape_labels, t, "?")]))) : ""]))}."
  }

  validation {
    condition     = alltrue([for g in values(var.node_groups) : g.min_size >= 0 && g.min_size <= g.desired_size && g.desired_size <= g.max_size && g.max_size >= 1])
    error_message = "Each node group needs 0 <= min_size <= desired_size <= max_size and max_size >= 1."
  }

  validation {
    condition     = alltrue([for g in values(var.node_groups) : contains(["AL2023_x86_64_STANDARD", "AL2023_x86_64_NVIDIA", "AL2023_x86_64_NEURON"], g.ami_type)])
    error_message = "ami_type must be an AL2023 x86_64 type: the backend image is amd64-only."
  }

  validation {
    condition     = alltrue([for g in values(var.node_groups) : contains(["ON_DEMAND", "SPOT"], g.capacity_type)])
    error_message = "capacity_type must be ON_DEMAND or SPOT."
  }

  validation {
    condition     = alltrue(flatten([for g in values(var.node_groups) : [for t in g.taints : contains(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"], t.effect)]]))
    error_message = "taint effect must be NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE."
  }


  validation {
    condition     = alltrue([for g in values(var.node_groups) : g.disk_size_gib >= 20 && g.disk_size_gib <= 1000])
    error_message = "disk_size_gib must be between 20 and 1000."
  }
}

variable "addons" {
  description = <<-EOT
    EKS add-ons by name. version pins an exact build (from the EKS user guide's version tables or
    `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>`); null takes the EKS default
    build for kubernetes_version, read at plan time, which AWS moves (output unpinned_addons lists them).
    kube-proxy's build must be of the cluster's minor version. service_account_role_arn is the IRSA role of the
    add-on's controller; configuration_values is the add-on's JSON configuration. The five add-ons of the default
    are required; the EKS Pod Identity agent is not one of them (every workload uses IRSA).
  EOT
  type = map(object({
    version                  = optional(string)
    service_account_role_arn = optional(string)
    configuration_values     = optional(string)
  }))
  default = {
    coredns            = {}
    kube-proxy         = {}
    vpc-cni            = {}
    aws-ebs-csi-driver = {}
    aws-efs-csi-driver = {}
  }

  validation {
    condition     = length(setsubtract(["coredns", "kube-proxy", "vpc-cni", "aws-ebs-csi-driver", "aws-efs-csi-driver"], keys(var.addons))) == 0
    error_message = "addons must contain coredns, kube-proxy, vpc-cni, aws-ebs-csi-driver and aws-efs-csi-driver."
  }

  validation {
    condition     = alltrue([for a in values(var.addons) : a.version == null || can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+-eksbuild\\.[0-9]+$", a.version))])
    error_message = "Each add-on version must be null or an exact EKS build such as v1.19.4-eksbuild.1."
  }

  validation {
    condition     = try(var.addons["kube-proxy"].version == null || startswith(var.addons["kube-proxy"].version, "v${var.kubernetes_version}."), true)
    error_message = "The kube-proxy build must be of the cluster's Kubernetes minor version (v${var.kubernetes_version}.<patch>-eksbuild.<n>)."
  }

  validation {
    condition     = alltrue([for a in values(var.addons) : a.configuration_values == null || can(jsondecode(a.configuration_values))])
    error_message = "configuration_values must be a JSON object."
  }
}

variable "node_volume_kms_key_arn" {
  description = "Customer managed KMS key for the nodes' root volumes. Its key policy must let the EC2 Auto Scaling service-linked role use it (the platform stack's EBS key does)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.node_volume_kms_key_arn))
    error_message = "node_volume_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "detailed_monitoring" {
  description = "EC2 detailed (1-minute) monitoring of the nodes, billed as custom metrics (about 2.10 USD per node per month in eu-west-1). Off: the 5-minute basic metrics are free and nothing here reads EC2 metrics (cluster-autoscaler and HPA use Kubernetes metrics)."
  type        = bool
  default     = false
}

variable "addons_enabled" {
  description = "Install the add-ons in addons. false only against an emulator without the EKS add-on API (moto): the cluster then has no CNI, kube-proxy, CoreDNS or CSI drivers, and its nodes never become Ready."
  type        = bool
  default     = true
}

variable "access_entries_enabled" {
  description = "Create the EKS access entries (admins and the node role). false only against an emulator without the access entry API (moto): nodes cannot join and nobody is admin."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Extra tags for every resource of the module (provider default_tags still apply)."
  type        = map(string)
  default     = {}
}
