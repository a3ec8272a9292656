output "state_bucket_name" {
  description = "Bucket that stores the Terraform state of every stack."
  value       = module.state_backend.bucket_name
}

output "state_bucket_arn" {
  description = "ARN of the state bucket."
  value       = module.state_backend.bucket_arn
}

output "state_kms_key_arn" {
  description = "KMS key that encrypts the state."
  value       = module.state_backend.kms_key_arn
}

output "backend_config" {
  description = "S3 backend settings for the other stacks (each adds its own key)."
  value       = module.state_backend.backend_config
}
