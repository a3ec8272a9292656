output "arns" {
  description = "Secret ARN by name (after the prefix)."
  value       = { for k, s in aws_secretsmanager_secret.this : k => s.arn }
}

output "names" {
  description = "Full secret names by short name."
  value       = { for k, s in aws_secretsmanager_secret.this : k => s.name }
}
