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

output "cluster_arn" {
  description = "EKS cluster ARN."
  value       = module.eks.cluster_arn
}

output "cluster_security_group_id" {
  description = "Security group EKS created for the control plane and the managed nodes (the data services admit it)."
  value       = module.eks.cluster_security_group_id
}

output "region" {
  description = "AWS region of the environment (the AWS Load Balancer Controller's and the ClusterSecretStore's region)."
  value       = var.region
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

output "node_groups" {
  description = "Managed node groups by key: EKS name, Auto Scaling group names, instance types and their shape per node (vcpu, memory_mib, gpus), capacity type, min/max/desired size, Kubernetes labels, taints (Kubernetes effect names) and tags."
  value       = module.eks.node_groups
}

output "autoscaler_discovery_tags" {
  description = "Tags (key => value) by which cluster-autoscaler discovers the node groups' Auto Scaling groups."
  value       = module.eks.autoscaler_discovery_tags
}

output "node_role_arn" {
  description = "IAM role of the managed nodes."
  value       = module.eks.node_role_arn
}

output "addon_versions" {
  description = "EKS add-on versions by name: the pinned builds and, for unpinned add-ons, the EKS default build resolved at plan time (copy them into the inventory to pin)."
  value       = module.eks.addon_versions
}

output "unpinned_addons" {
  description = "Add-ons without a pinned build in addon_versions; they follow the EKS default build, which AWS moves."
  value       = module.eks.unpinned_addons
}

output "api_security_group_id" {
  description = "Security group on the control plane's ENIs that admits endpoint_private_access_cidrs and _security_group_ids on 443."
  value       = module.eks.api_security_group_id
}

output "irsa_role_arns" {
  description = "IRSA role ARNs by workload, for the eks.amazonaws.com/role-arn annotations of the Helm releases."
  value       = module.workload_iam.role_arns
}

output "data_kms_key_arn" {
  description = "KMS key of the data services (SQS, S3, Secrets Manager, ElastiCache, EFS)."
  value       = module.data_kms.arn
}

output "ebs_kms_key_arn" {
  description = "KMS key of the EBS volumes (node root volumes; parameter kmsKeyId of the gp3 StorageClass)."
  value       = module.ebs_kms.arn
}

output "secrets_name_prefix" {
  description = "Secrets Manager path of the environment (<name>/<env>/); External Secrets may read only secrets under it."
  value       = local.secrets_prefix
}

output "queue_url" {
  description = "Backend SQS queue URL."
  value       = module.queue.url
}

output "dead_letter_queue_url" {
  description = "Dead-letter queue URL of the backend queue."
  value       = module.queue.dlq_url
}

output "assets_bucket" {
  description = "S3 bucket for application assets and exports."
  value       = module.assets_bucket.name
}

output "logs_bucket" {
  description = "S3 bucket for access logs."
  value       = module.logs_bucket.name
}

output "redis_primary_endpoint" {
  description = "Redis primary endpoint (TLS, port 6379); null when Redis is disabled."
  value       = try(module.redis[0].primary_endpoint, null)
}

output "redis_auth_secret_arn" {
  description = "Secrets Manager secret with the Redis AUTH token; null when Redis is disabled."
  value       = try(module.redis[0].auth_secret_arn, null)
}

output "efs_file_system_id" {
  description = "EFS file system of the backend models (parameter fileSystemId of the efs-models StorageClass)."
  value       = module.efs.file_system_id
}

output "efs_models_access_point_id" {
  description = "EFS access point of the model directory."
  value       = module.efs.models_access_point_id
}

output "certificate_arn" {
  description = "ACM certificate for the chatbot chart's ingress.alb.certificateArn (null without edge.domain_name and edge.hosted_zone_id)."
  value       = module.edge.certificate_arn
}

output "waf_web_acl_arn" {
  description = "WAFv2 web ACL for the chart's ingress.alb.wafAclArn (null when disabled)."
  value       = module.edge.web_acl_arn
}

output "app_secret_arns" {
  description = "Application secrets by short name."
  value       = module.app_secrets.arns
}

output "documentdb_endpoint" {
  description = "DocumentDB cluster endpoint (TLS, port 27017); null unless documentdb.enabled."
  value       = try(module.documentdb[0].endpoint, null)
}

output "documentdb_master_user_secret_arn" {
  description = "Secret DocumentDB manages for its master user (External Secrets may read it); null unless documentdb.enabled."
  value       = try(module.documentdb[0].master_user_secret_arn, null)
}

output "irsa_service_accounts" {
  description = "Namespace and name of the service account each IRSA role trusts (the cluster add-on releases create them with these names)."
  value       = module.workload_iam.service_accounts
}

output "container_log_group_name" {
  description = "CloudWatch Logs group of the containers' logs (Fluent Bit writes here; retention container_log_retention_days, KMS-encrypted)."
  value       = aws_cloudwatch_log_group.containers.name
}

output "alarm_topic_arn" {
  description = "Encrypted SNS topic of the managed-service alarms; null when service_alarms.enabled is false."
  value       = try(module.service_alarms[0].topic_arn, null)
}
