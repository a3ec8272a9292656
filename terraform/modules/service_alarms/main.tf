# CloudWatch alarms for what Prometheus in the cluster cannot see: the managed services around it
# (ElastiCache, the backend's dead-letter queue, the ALB the load balancer controller creates). Every alarm
# notifies one SNS topic, encrypted with a customer managed key that CloudWatch may use
# (docs/observability.md#managed-service-alarms).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  actions = [aws_sns_topic.this.arn]
  # The topic's ARN spelled out, so that its policy is set when the topic is created (a separate
  # aws_sns_topic_policy would leave the service's default policy in the topic's own state).
  topic_arn = "arn:${data.aws_partition.current.partition}:sns:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:${var.name}-alarms"
}

resource "aws_sns_topic" "this" {
  name              = "${var.name}-alarms"
  kms_master_key_id = var.kms_key_arn
  policy            = data.aws_iam_policy_document.topic.json
  tags              = var.tags
}

# Only CloudWatch alarms of this account may publish.
data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "CloudWatchAlarmsOfThisAccount"
    actions   = ["sns:Publish"]
    resources = [local.topic_arn]
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


resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.email_endpoints)

  topic_arn = aws_sns_topic.this.arn
  protocol  = "email"
  endpoint  = each.value
}

# One alarm per monitored object and kind; each kind says what it watches and when it fires.
locals {
  alarms = merge(
    # ElastiCache: per node, CPU of the Redis engine thread and memory used by the dataset.
    { for id in var.redis_cluster_ids : "redis_cpu/${id}" => {
      kind        = "redis_cpu"
      name        = "redis-cpu-${id}"
      description = "Redis engine CPU of ${id} above ${var.redis_cpu_threshold}% for 15 minutes (docs/observability.md#managed-service-alarms)."
      namespace   = "AWS/ElastiCache", metric = "EngineCPUUtilization", dimensions = { CacheClusterId = id }
      statistic   = "Average", periods = 3, threshold = var.redis_cpu_threshold, missing = "missing"
    } },
    { for id in var.redis_cluster_ids : "redis_memory/${id}" => {
      kind        = "redis_memory"
      name        = "redis-memory-${id}"
      description = "Redis memory of ${id} above ${var.redis_memory_threshold}% of maxmemory for 15 minutes: evictions follow."
      namespace   = "AWS/ElastiCache", metric = "DatabaseMemoryUsagePercentage", dimensions = { CacheClusterId = id }
      statistic   = "Average", periods = 3, threshold = var.redis_memory_threshold, missing = "missing"
    } },
    # A message in a dead-letter queue is a job the backend failed max_receive_count times: always worth a look.
    { for queue in var.dead_letter_queue_names : "dlq_not_empty/${queue}" => {
      kind        = "dlq_not_empty"
      name        = "dlq-not-empty-${queue}"
      description = "Dead-letter queue ${queue} holds messages (docs/observability.md#managed-service-alarms)."
      namespace   = "AWS/SQS", metric = "ApproximateNumberOfMessagesVisible", dimensions = { QueueName = queue }
      statistic   = "Maximum", periods = 1, threshold = 0, missing = "notBreaching"
    } },
    # The ALB in front of the gateway: 5xx it answers itself (no healthy target, timeouts) and 5xx of the targets.
    { for pair in setproduct(var.alb_arn_suffixes, ["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"]) : "alb_5xx/${pair[0]}|${pair[1]}" => {
      kind        = "alb_5xx"
      name        = "alb-${lower(replace(pair[1], "_", "-"))}-${split("/", pair[0])[1]}"
      description = "${pair[1]} of ${pair[0]} above ${var.alb_5xx_threshold} per 5 minutes twice in a row."
      namespace   = "AWS/ApplicationELB", metric = pair[1], dimensions = { LoadBalancer = pair[0] }
      statistic   = "Sum", periods = 2, threshold = var.alb_5xx_threshold, missing = "notBreaching"
    } },
  )
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name}-${each.value.name}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = 300
  evaluation_periods  = each.value.periods
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  treat_missing_data  = each.value.missing
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}
