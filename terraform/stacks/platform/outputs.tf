output "vpc_id" {
  description = "VPC of the environment."
  value       = module.network.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnets (nodes, internal load balancers, data services)."
  value       = module.network.private_subnet_ids
}

output "public_subnet_ids" {
  description = "Public subnets (internet-facing load balancers)."
  value       = module.network.public_subnet_ids
}

output "nat_public_ips" {
  description = "Egress addresses to allow-list at third parties (for example MongoDB Atlas)."
  value       = module.network.nat_public_ips
}

output "cluster_name" {
  description = "EKS cluster name (for aws eks update-kubeconfig and the cluster add-on roles)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = module.eks.cluster_endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA bundle of the API endpoint."
  value       = module.eks.cluster_certificate_authority_data
}

output "cluster_version" {
  description = "Kubernetes version of the control plane."
  value       = module.eks.cluster_version
}

output "oidc_provider_arn" {
  description = "IAM OIDC provider of the cluster."
  value       = module.eks.oidc_provider_arn
}

output "addon_versions" {
  description = "Installed EKS add-on versions."
  value       = module.eks.addon_versions
}

output "irsa_role_arns" {
  description = "IRSA role ARNs by workload, for the eks.amazonaws.com/role-arn annotations of the Helm releases."
  value       = module.workload_iam.role_arns
}
