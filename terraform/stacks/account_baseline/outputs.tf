output "account_key" {
  description = "Key of the account this state belongs to."
  value       = var.account_key
}

output "account_id" {
  description = "Account the baseline was applied to (read from the provider's credentials)."
  value       = module.baseline.account_id
}

output "config_recorder_name" {
  description = "Name of the account's Config recorder."
  value       = module.baseline.config_recorder_name
}

output "config_recording_frequency" {
  description = "CONTINUOUS or DAILY."
  value       = local.recording_frequency
}
