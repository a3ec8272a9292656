output "bucket_name" {
  description = "Name of the state bucket."
  value       = module.bucket.name
}

output "bucket_arn" {
  description = "ARN of the state bucket."
  value       = module.bucket.arn
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the state objects."
  value       = module.key.arn
}

output "kms_alias_name" {
  description = "Alias of the state encryption key."
  value       = module.key.alias_name
}

output "backend_config" {
  description = "Settings for an S3 backend block that stores state in this bucket (key left to each stack)."
  value = {
    bucket       = module.bucket.name
    region       = module.bucket.region
    encrypt      = true
    kms_key_id   = module.key.arn
    use_lockfile = true
  }
}
