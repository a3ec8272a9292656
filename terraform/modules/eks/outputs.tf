output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = aws_eks_cluster.this.arn
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA bundle of the API endpoint (for kubeconfig)."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "cluster_version" {
  description = "Kubernetes version of the control plane."
  value       = aws_eks_cluster.this.version
}

output "cluster_security_group_id" {
  description = "Security group EKS created for the control plane and managed nodes."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider for IRSA."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer" {
  description = "OIDC issuer host and path without https:// (the prefix of the :sub and :aud condition keys)."
  value       = replace(aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://", "")
}

output "node_role_arn" {
  description = "IAM role of the managed nodes."
  value       = aws_iam_role.node.arn
}

output "node_group_names" {
  description = "Managed node group names by key."
  value       = { for k, g in aws_eks_node_group.this : k => g.node_group_name }
}

output "node_groups" {
  description = "Managed node groups by key: EKS name, Auto Scaling group names, instance types and their common shape (vcpu, memory_mib, gpus per node), capacity type, min/max/desired size, Kubernetes labels, taints (Kubernetes effect names: NoSchedule, NoExecute, PreferNoSchedule) and tags (the cluster-autoscaler discovery tags among them)."
  value = { for k, g in aws_eks_node_group.this : k => {
    name                    = g.node_group_name
    autoscaling_group_names = flatten([for r in g.resources : [for a in r.autoscaling_groups : a.name]])
    instance_types          = g.instance_types
    vcpu                    = local.instance_shapes[g.instance_types[0]].vcpu
    memory_mib              = local.instance_shapes[g.instance_types[0]].memory_mib
    gpus                    = local.instance_shapes[g.instance_types[0]].gpus
    capacity_type           = g.capacity_type
    min_size                = g.scaling_config[0].min_size
    max_size                = g.scaling_config[0].max_size
    desired_size            = g.scaling_config[0].desired_size
    labels                  = g.labels
    taints                  = [for t in var.node_groups[k].taints : { key = t.key, value = t.value, effect = local.kubernetes_taint_effects[t.effect] }]
    tags                    = g.tags
  } }
}

output "autoscaler_discovery_tags" {
  description = "Tags cluster-autoscaler discovers this cluster's node groups by (--node-group-auto-discovery=asg:tag=<key>,<key>)."
  value       = local.autoscaler_tags
}

output "kms_key_arn" {
  description = "KMS key encrypting Kubernetes secrets and the control-plane logs."
  value       = module.cluster_key.arn
}

output "api_security_group_id" {
  description = "The cluster's additional security group, which admits endpoint_private_access_cidrs and _security_group_ids to the private API endpoint."
  value       = aws_security_group.cluster.id
}

output "api_ingress_sources" {
  description = "CIDRs and security groups admitted to the private API endpoint on 443 (endpoint_private_access_cidrs and _security_group_ids)."
  value = {
    cidrs              = sort([for r in aws_vpc_security_group_ingress_rule.api_from_cidrs : r.cidr_ipv4])
    security_group_ids = sort([for r in aws_vpc_security_group_ingress_rule.api_from_security_groups : r.referenced_security_group_id])
  }
}

output "addon_configuration_values" {
  description = "Configuration values (JSON) of the installed add-ons by name; null where an add-on runs with its defaults."
  value       = { for n, a in merge(aws_eks_addon.before_nodes, aws_eks_addon.after_nodes) : n => a.configuration_values }
}

output "unpinned_addons" {
  description = "Add-ons without a pinned version: they follow the EKS default build for the Kubernetes version, which AWS moves. The platform step warns about each."
  value       = sort([for n, a in local.addons : n if a.version == null])
}

output "addon_versions" {
  description = "Installed add-on versions by name (pinned, or the EKS default build resolved at plan time)."
  value       = local.addon_versions
}
