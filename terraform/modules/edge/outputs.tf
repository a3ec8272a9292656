output "certificate_arn" {
  description = "Validated ACM certificate ARN (null without domain_name and hosted_zone_id)."
  value       = try(aws_acm_certificate_validation.this[0].certificate_arn, null)
}

output "web_acl_arn" {
  description = "WAFv2 web ACL ARN for the Ingress annotation alb.ingress.kubernetes.io/wafv2-acl-arn (null when disabled)."
  value       = try(aws_wafv2_web_acl.this[0].arn, null)
}
