output "arn" {
  description = "Key ARN (use it in key-id arguments and IAM policies)."
  value       = aws_kms_key.this.arn
}

output "key_id" {
  description = "Key id."
  value       = aws_kms_key.this.key_id
}

output "alias_name" {
  description = "alias/<name>."
  value       = aws_kms_alias.this.name
}
