output "oidc_provider_arn" {
  description = "ARN of the token.actions.githubusercontent.com OIDC provider the roles trust (created here or reused)."
  value       = local.provider_arn
}

output "image_push_role_arn" {
  description = "ARN of the image-push role (GitHub repository variable AWS_IMAGE_PUSH_ROLE_ARN)."
  value       = aws_iam_role.image_push.arn
}

output "promote_role_arns" {
  description = "ARN of each promotion role by target environment (GitHub environment variable AWS_PROMOTE_ROLE_ARN)."
  value       = { for e, r in aws_iam_role.promote : e => r.arn }
}

output "trusted_subjects" {
  description = "The one OIDC subject (sub claim) each role trusts: image_push and promote_<environment>."
  value       = local.subjects
}

output "repository_arns" {
  description = "ECR repositories the roles may act on."
  value       = local.repository_arns
}
