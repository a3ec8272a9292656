# Observability of the environment that lives in AWS (docs/observability.md): the CloudWatch Logs group Fluent
# Bit ships container logs to (retention from the inventory, its own KMS key; the Fluent Bit IRSA role of
# workload_iam may write only there), and CloudWatch alarms on the managed services Prometheus cannot see,
# notifying an encrypted SNS topic.

locals {
  container_log_group     = "/aws/eks/${local.cluster_name}/containers"
  container_log_group_arn = "arn:${data.aws_partition.current.partition}:logs:${var.region}:${local.account_id}:log-group:${local.container_log_group}"
  # ElastiCache names a replication group's nodes <group>-001, -002, ... (cluster mode disabled).
  redis_node_ids = var.redis.enabled ? [for i in range(var.redis.num_cache_clusters) : format("%s-%03d", local.prefix, i + 1)] : []
}

module "container_logs_kms" {
  source = "../../modules/kms_key"

  name                      = "${local.prefix}-container-logs"
  description               = "Container logs of ${local.cluster_name} (Fluent Bit)"
  cloudwatch_log_group_arns = [local.container_log_group_arn, "${local.container_log_group_arn}:*"]
  tags                      = local.tags
}

resource "aws_cloudwatch_log_group" "containers" {
  # checkov:skip=CKV_AWS_338: retention is chosen per environment in the inventory (platform_stack_container_log_retention_days, 14-90 days); a year of container logs costs more than it serves (docs/observability.md#logs-and-retention).
  name              = local.container_log_group
  retention_in_days = var.container_log_retention_days
  kms_key_id        = module.container_logs_kms.arn
  tags              = local.tags
}

# CloudWatch publishes alarm notifications to the encrypted topic as its own service principal.
data "aws_iam_policy_document" "alarms_key" {
  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

module "alarms_kms" {
  source = "../../modules/kms_key"
  count  = var.service_alarms.enabled ? 1 : 0

  name             = "${local.prefix}-alarms"
  description      = "SNS topic of the managed-service alarms of ${local.prefix}"
  policy_documents = [data.aws_iam_policy_document.alarms_key.json]
  tags             = local.tags
}

module "service_alarms" {
  source = "../../modules/service_alarms"
  count  = var.service_alarms.enabled ? 1 : 0

  name                    = local.prefix
  kms_key_arn             = module.alarms_kms[0].arn
  redis_cluster_ids       = local.redis_node_ids
  redis_cpu_threshold     = var.service_alarms.redis_cpu_threshold
  redis_memory_threshold  = var.service_alarms.redis_memory_threshold
  dead_letter_queue_names = ["${local.prefix}-backend-dlq"]
  alb_arn_suffixes        = var.service_alarms.alb_arn_suffixes
  alb_5xx_threshold       = var.service_alarms.alb_5xx_threshold
  email_endpoints         = var.service_alarms.email_endpoints
  tags                    = local.tags
}
