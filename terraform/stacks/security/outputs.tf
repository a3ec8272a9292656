output "trail_arn" {
  description = "ARN of the organisation trail."
  value       = module.security_baseline.trail_arn
}

output "log_buckets" {
  description = "Central log buckets in the log archive account (cloudtrail, config, access_logs)."
  value = {
    cloudtrail  = module.security_baseline.cloudtrail_bucket_name
    config      = module.security_baseline.config_bucket_name
    access_logs = module.security_baseline.access_log_bucket_name
  }
}

output "log_key_arn" {
  description = "KMS key of the central audit logs."
  value       = module.security_baseline.log_key_arn
}

output "security_alerts_topic_arn" {
  description = "SNS topic of the security alarms (management account)."
  value       = module.security_baseline.security_alerts_topic_arn
}

output "alarm_names" {
  description = "Security alarms by key."
  value       = module.security_baseline.alarm_names
}

output "guardduty_detector_id" {
  description = "GuardDuty detector of the security account."
  value       = module.security_baseline.guardduty_detector_id
}

output "securityhub_standard_arns" {
  description = "Security Hub standards of the configuration policy."
  value       = module.security_baseline.securityhub_standard_arns
}

output "config_aggregator_arn" {
  description = "Organisation Config aggregator (security account)."
  value       = module.security_baseline.config_aggregator_arn
}

output "access_analyzer_arn" {
  description = "Organisation external-access analyzer (null when off)."
  value       = module.security_baseline.access_analyzer_arn
}
