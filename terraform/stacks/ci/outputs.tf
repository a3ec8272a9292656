output "oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC provider the roles trust."
  value       = module.github_oidc.oidc_provider_arn
}

output "image_push_role_arn" {
  description = "ARN of the image-push role: GitHub repository variable AWS_IMAGE_PUSH_ROLE_ARN (docs/ci.md)."
  value       = module.github_oidc.image_push_role_arn
}

output "promote_role_arns" {
  description = "Promotion role ARN by target environment: variable AWS_PROMOTE_ROLE_ARN of each GitHub environment (docs/ci.md)."
  value       = module.github_oidc.promote_role_arns
}

output "trusted_subjects" {
  description = "The OIDC subject each role trusts (image_push, promote_<environment>): what the workflows' tokens must carry."
  value       = module.github_oidc.trusted_subjects
}

output "ecr_registry" {
  description = "Host of the shared-services registry the roles push to: GitHub repository variable ECR_REGISTRY."
  value       = "${data.aws_caller_identity.current.account_id}.dkr.ecr.${var.region}.${data.aws_partition.current.dns_suffix}"
}
