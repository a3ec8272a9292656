output "topic_arn" {
  description = "SNS topic every alarm notifies."
  value       = aws_sns_topic.this.arn
}

output "alarm_names" {
  description = "Names of the alarms, by kind."
  value = {
    redis_cpu     = [for key, a in aws_cloudwatch_metric_alarm.this : a.alarm_name if local.alarms[key].kind == "redis_cpu"]
    redis_memory  = [for key, a in aws_cloudwatch_metric_alarm.this : a.alarm_name if local.alarms[key].kind == "redis_memory"]
    dlq_not_empty = [for key, a in aws_cloudwatch_metric_alarm.this : a.alarm_name if local.alarms[key].kind == "dlq_not_empty"]
    alb_5xx       = [for key, a in aws_cloudwatch_metric_alarm.this : a.alarm_name if local.alarms[key].kind == "alb_5xx"]
  }
}
