output "account_id" {
  description = "Account the baseline was applied to."
  value       = data.aws_caller_identity.current.account_id
}

output "config_recorder_name" {
  description = "Name of the account's Config recorder."
  value       = aws_config_configuration_recorder.this.name
}

output "config_role_arn" {
  description = "Role the Config recorder uses (the service-linked role)."
  value       = local.config_role_arn
}
