variable "name" {
  description = "Prefix of the topic and alarm names, <platform_name>-<platform_env>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key of the SNS topic; its policy must let cloudwatch.amazonaws.com use it (GenerateDataKey*, Decrypt)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN: the alarm topic is always encrypted."
  }
}

variable "redis_cluster_ids" {
  description = "ElastiCache cache cluster ids (the replication group's member clusters), one CPU and one memory alarm each."
  type        = list(string)
  default     = []
}

variable "redis_cpu_threshold" {
  description = "EngineCPUUtilization (%) above which a Redis node alarms after 15 minutes."
  type        = number
  default     = 80
}

variable "redis_memory_threshold" {
  description = "DatabaseMemoryUsagePercentage above which a Redis node alarms after 15 minutes."
  type        = number
  default     = 80
}

variable "dead_letter_queue_names" {
  description = "SQS dead-letter queues that alarm as soon as they hold a message."
  type        = list(string)
  default     = []
}

variable "alb_arn_suffixes" {
  description = "ARN suffixes (app/<name>/<id>) of the ALBs to watch; the load balancer controller creates them, so they are known only after the chatbot is deployed."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.alb_arn_suffixes : can(regex("^app/[A-Za-z0-9-]+/[0-9a-f]+$", s))])
    error_message = "alb_arn_suffixes take the ALB ARN's suffix app/<name>/<id> (the LoadBalancer dimension)."
  }
}

variable "alb_5xx_threshold" {
  description = "5xx responses per 5 minutes (ELB and targets counted apart) above which an ALB alarms, twice in a row."
  type        = number
  default     = 10
}

variable "email_endpoints" {
  description = "E-mail addresses subscribed to the topic (each must confirm); chat or paging integrations subscribe out of band."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Extra tags for every resource of the module."
  type        = map(string)
  default     = {}
}
