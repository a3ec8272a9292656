output "instance_arn" {
  description = "ARN of the IAM Identity Center instance."
  value       = local.instance_arn
}

output "identity_store_id" {
  description = "Id of the identity store."
  value       = local.identity_store_id
}

output "permission_set_arns" {
  description = "Map of permission set name to ARN."
  value       = { for k, p in aws_ssoadmin_permission_set.this : k => p.arn }
}

output "group_ids" {
  description = "Map of group key to identity store group id."
  value       = local.group_ids
}

output "assignments" {
  description = "Keys (<group>/<permission set>/<account>) of the account assignments made."
  value       = keys(aws_ssoadmin_account_assignment.this)
}
