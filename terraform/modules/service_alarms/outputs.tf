output "topic_arn" {
  description = "SNS topic every alarm notifies."
  value       = aws_sns_topic.this.arn
}

output "alarm_names" {
  description = "Names of the alarms, by kind."
  value = {
    redis_cpu     = [for a in aws_cloudwatch_metric_alarm.redis_cpu : a.alarm_name]
    redis_memory  = [for a in aws_cloudwatch_metric_alarm.redis_memory : a.alarm_name]
    dlq_not_empty = [for a in aws_cloudwatch_metric_alarm.dlq_not_empty : a.alarm_name]
    alb_5xx       = [for a in aws_cloudwatch_metric_alarm.alb_5xx : a.alarm_name]
  }
}
