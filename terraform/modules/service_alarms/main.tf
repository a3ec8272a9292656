# CloudWatch alarms for what Prometheus in the cluster cannot see: the managed services around it
# (ElastiCache, the backend's dead-letter queue, the ALB the load balancer controller creates). Every alarm
# notifies one SNS topic, encrypted with a customer managed key that CloudWatch may use
# (docs/observability.md#managed-service-alarms).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  actions = [aws_sns_topic.this.arn]
}

resource "aws_sns_topic" "this" {
  name              = "${var.name}-alarms"
  kms_master_key_id = var.kms_key_arn
  tags              = var.tags
}

# Only CloudWatch alarms of this account may publish.
data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "CloudWatchAlarmsOfThisAccount"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:cloudwatch:*:${data.aws_caller_identity.current.account_id}:alarm:${var.name}-*"]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = data.aws_iam_policy_document.topic.json
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.email_endpoints)

  topic_arn = aws_sns_topic.this.arn
  protocol  = "email"
  endpoint  = each.value
}

# ElastiCache: per node, CPU of the Redis engine thread and memory used by the dataset.
resource "aws_cloudwatch_metric_alarm" "redis_cpu" {
  for_each = toset(var.redis_cluster_ids)

  alarm_name          = "${var.name}-redis-cpu-${each.value}"
  alarm_description   = "Redis engine CPU of ${each.value} above ${var.redis_cpu_threshold}% for 15 minutes (docs/observability.md#managed-service-alarms)."
  namespace           = "AWS/ElastiCache"
  metric_name         = "EngineCPUUtilization"
  dimensions          = { CacheClusterId = each.value }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.redis_cpu_threshold
  treat_missing_data  = "missing"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "redis_memory" {
  for_each = toset(var.redis_cluster_ids)

  alarm_name          = "${var.name}-redis-memory-${each.value}"
  alarm_description   = "Redis memory of ${each.value} above ${var.redis_memory_threshold}% of maxmemory for 15 minutes: evictions follow."
  namespace           = "AWS/ElastiCache"
  metric_name         = "DatabaseMemoryUsagePercentage"
  dimensions          = { CacheClusterId = each.value }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.redis_memory_threshold
  treat_missing_data  = "missing"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# A message in a dead-letter queue is a job the backend failed max_receive_count times: always worth a look.
resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  for_each = toset(var.dead_letter_queue_names)

  alarm_name          = "${var.name}-dlq-not-empty-${each.value}"
  alarm_description   = "Dead-letter queue ${each.value} holds messages (docs/observability.md#managed-service-alarms)."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# The ALB in front of the gateway: 5xx it answers itself (no healthy target, timeouts) and 5xx of the targets.
resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  for_each = { for pair in setproduct(var.alb_arn_suffixes, ["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"]) : "${pair[0]}|${pair[1]}" => pair }

  alarm_name          = "${var.name}-alb-${lower(replace(each.value[1], "_", "-"))}-${split("/", each.value[0])[1]}"
  alarm_description   = "${each.value[1]} of ${each.value[0]} above ${var.alb_5xx_threshold} per 5 minutes twice in a row."
  namespace           = "AWS/ApplicationELB"
  metric_name         = each.value[1]
  dimensions          = { LoadBalancer = each.value[0] }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alb_5xx_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}
