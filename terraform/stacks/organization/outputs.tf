output "organization_id" {
  description = "Id of the organization."
  value       = module.organization.organization_id
}

output "management_account_id" {
  description = "Account id of the management account."
  value       = module.organization.management_account_id
}

output "root_id" {
  description = "Id of the organization root."
  value       = module.organization.root_id
}

output "ou_ids" {
  description = "Map of OU key to OU id."
  value       = module.organization.ou_ids
}

output "account_ids" {
  description = "Map of account key to account id (feeds platform_accounts and the security stack)."
  value       = module.organization.account_ids
}

output "account_access_role_arns" {
  description = "Map of account key to the role the management account assumes in it."
  value       = module.organization.account_access_role_arns
}

output "scp_ids" {
  description = "Map of SCP key to policy id (empty when SCPs are off)."
  value       = var.enable_scps ? module.scp[0].policy_ids : {}
}

output "scp_sizes" {
  description = "Map of SCP key to rendered size in characters (AWS limit 5,120)."
  value       = var.enable_scps ? module.scp[0].policy_sizes : {}
}

output "permission_set_arns" {
  description = "Map of permission set name to ARN (empty when Identity Center is off)."
  value       = var.enable_identity_center ? module.identity_center[0].permission_set_arns : {}
}

output "identity_center_assignments" {
  description = "Account assignments made (<group>/<permission set>/<account>)."
  value       = var.enable_identity_center ? module.identity_center[0].assignments : []
}
