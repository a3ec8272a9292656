output "trail_arn" {
  description = "ARN of the organisation trail."
  value       = aws_cloudtrail.organization.arn
}

output "trail_log_group_name" {
  description = "CloudWatch log group holding the organisation trail's events (management account)."
  value       = aws_cloudwatch_log_group.trail.name
}

output "log_key_arn" {
  description = "KMS key of the central audit logs (log archive account); account baselines deliver Config with it."
  value       = module.log_key.arn
}

output "cloudtrail_bucket_name" {
  description = "Bucket of the organisation trail."
  value       = module.cloudtrail_bucket.name
}

output "config_bucket_name" {
  description = "Bucket every account's AWS Config delivers into; known once its policy lets Config in."
  value       = module.config_bucket.name
  depends_on  = [module.config_bucket]
}

output "access_log_bucket_name" {
  description = "Bucket of the log buckets' server access logs."
  value       = module.access_log_bucket.name
}

output "security_alerts_topic_arn" {
  description = "SNS topic the security alarms notify (management account)."
  value       = aws_sns_topic.security_alerts.arn
}

output "alarm_names" {
  description = "Map of alarm key to CloudWatch alarm name."
  value       = { for k, a in aws_cloudwatch_metric_alarm.security : k => a.alarm_name }
}

output "guardduty_detector_id" {
  description = "GuardDuty detector of the delegated administrator."
  value       = aws_guardduty_detector.this.id
}

output "securityhub_configuration_policy_id" {
  description = "Id of the Security Hub configuration policy (null without central configuration)."
  value       = one(aws_securityhub_configuration_policy.this[*].id)
}

output "securityhub_standard_arns" {
  description = "Standards the configuration policy enables."
  value       = local.securityhub_standard_arns
}

output "config_aggregator_arn" {
  description = "ARN of the organisation Config aggregator."
  value       = aws_config_configuration_aggregator.organization.arn
}

output "access_analyzer_arn" {
  description = "ARN of the organisation external-access analyzer (null when off)."
  value       = one(aws_accessanalyzer_analyzer.organization[*].arn)
}
