output "policy_ids" {
  description = "Map of policy key to SCP id."
  value       = { for k, p in aws_organizations_policy.this : k => p.id }
}

output "policy_arns" {
  description = "Map of policy key to SCP ARN."
  value       = { for k, p in aws_organizations_policy.this : k => p.arn }
}

output "policy_documents" {
  description = "Map of policy key to the rendered (minified) SCP JSON."
  value       = local.rendered
}

output "policy_sizes" {
  description = "Map of policy key to the character count of its rendered document (AWS limit 5,120)."
  value       = { for k, v in local.rendered : k => length(v) }
}

output "attachments" {
  description = "Map of \"<policy>/<target>\" to the attachment (policy key and target id)."
  value       = local.attachments
}
