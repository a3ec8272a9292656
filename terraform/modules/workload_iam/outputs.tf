output "role_arns" {
  description = "IRSA role ARNs by workload (aws_load_balancer_controller, cluster_autoscaler, ebs_csi, efs_csi, vpc_cni, external_secrets, chatbot_backend, fluent_bit); annotate the service accounts with eks.amazonaws.com/role-arn."
  value       = { for k, r in aws_iam_role.this : k => r.arn }
}

output "service_accounts" {
  description = "Namespace and name of the service account each role trusts."
  value       = { for k in keys(local.roles) : k => var.service_accounts[k] }
}
