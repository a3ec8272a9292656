output "bucket_name" {
  description = "Name of the state bucket."
  value       = aws_s3_bucket.state.bucket
}

output "bucket_arn" {
  description = "ARN of the state bucket."
  value       = aws_s3_bucket.state.arn
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the state objects."
  value       = aws_kms_key.state.arn
}

output "kms_alias_name" {
  description = "Alias of the state encryption key."
  value       = aws_kms_alias.state.name
}

output "backend_config" {
  description = "Settings for an S3 backend block that stores state in this bucket (key left to each stack)."
  value = {
    bucket       = aws_s3_bucket.state.bucket
    region       = aws_s3_bucket.state.region
    encrypt      = true
    kms_key_id   = aws_kms_key.state.arn
    use_lockfile = true
  }
}
