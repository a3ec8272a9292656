variable "name" {
  description = "Resource name prefix, <platform_name>-<platform_env> (for example chatbot-dev)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "cluster_name" {
  description = "EKS cluster name used in the kubernetes.io/cluster/<name> subnet tag."
  type        = string
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC; a /16 to /20 leaves room for 3 private /19-equivalents, 3 public and 3 intra subnets."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 20
    error_message = "vpc_cidr must be a valid IPv4 CIDR with a prefix length between /16 and /20."
  }
}

variable "availability_zones" {
  description = "Exactly three availability zones of the region, one subnet of each tier per zone."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) == 3 && length(distinct(var.availability_zones)) == 3
    error_message = "availability_zones must list exactly three distinct zones."
  }
}

variable "nat_gateway_mode" {
  description = "single: one NAT gateway shared by all zones (cheap, not zone-resilient; dev). per_az: one per zone (staging, prod)."
  type        = string
  default     = "per_az"

  validation {
    condition     = contains(["single", "per_az"], var.nat_gateway_mode)
    error_message = "nat_gateway_mode must be single or per_az."
  }
}

variable "interface_endpoints" {
  description = "AWS services reached through interface VPC endpoints instead of NAT (each costs about 3 x 0.011 USD/h). Empty list disables them."
  type        = list(string)
  default     = ["ecr.api", "ecr.dkr", "sts", "logs"]

  validation {
    condition     = alltrue([for s in var.interface_endpoints : can(regex("^[a-z0-9.-]+$", s))])
    error_message = "interface_endpoints entries are service suffixes such as ecr.api, sts or logs."
  }
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow log group in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a value CloudWatch Logs accepts (for example 30, 90, 365)."
  }
}

variable "flow_log_traffic_type" {
  description = "Traffic recorded by the VPC flow log: ALL, ACCEPT or REJECT."
  type        = string
  default     = "ALL"

  validation {
    condition     = contains(["ALL", "ACCEPT", "REJECT"], var.flow_log_traffic_type)
    error_message = "flow_log_traffic_type must be ALL, ACCEPT or REJECT."
  }
}

variable "tags" {
  description = "Extra tags for every resource of the module (provider default_tags still apply)."
  type        = map(string)
  default     = {}
}
