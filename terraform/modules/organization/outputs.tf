output "organization_id" {
  description = "Id of the organization (o-...)."
  value       = aws_organizations_organization.this.id
}

output "organization_arn" {
  description = "ARN of the organization."
  value       = aws_organizations_organization.this.arn
}

output "management_account_id" {
  description = "Account id of the management account."
  value       = aws_organizations_organization.this.master_account_id
}

output "root_id" {
  description = "Id of the organization root (r-...), the attachment point for organisation-wide SCPs."
  value       = local.root_id
}

output "ou_ids" {
  description = "Map of OU key to OU id."
  value       = local.ou_ids
}

output "account_ids" {
  description = "Map of account key to account id."
  value       = { for k, a in aws_organizations_account.this : k => a.id }
}

output "account_access_role_arns" {
  description = "Map of account key to the ARN of the role the management account assumes in it."
  value       = { for k, a in aws_organizations_account.this : k => "arn:aws:iam::${a.id}:role/${var.account_access_role_name}" }
}

output "delegated_administrators" {
  description = "Map of service principal to the delegated administrator account id."
  value       = { for p, d in aws_organizations_delegated_administrator.this : p => d.account_id }
}
