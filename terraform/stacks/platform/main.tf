data "aws_availability_zones" "available" {
  # checkov:skip=CKV_AWS_394: only the first three zones in name order are used (local.azs), so a new zone never changes the selection; inventories may pin them with availability_zones.
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

locals {
  prefix       = "${var.name}-${var.environment}"
  cluster_name = "${local.prefix}-eks"
  tags = merge(var.tags, {
    "platform:name"        = var.name
    "platform:environment" = var.environment
    "platform:stack"       = "platform"
    "platform:managed-by"  = "terraform"
  })
  autoscaling_role_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"

  azs = var.availability_zones != null ? var.availability_zones : slice(sort(data.aws_availability_zones.available.names), 0, 3)

  # No EKS Pod Identity agent: every workload role is IRSA (docs/infrastructure.md, "Workload identity").
  required_addons = ["coredns", "kube-proxy", "vpc-cni", "aws-ebs-csi-driver", "aws-efs-csi-driver"]

  # The VPC CNI's network policy agent enforces Kubernetes NetworkPolicies (eBPF on every node); without
  # enableNetworkPolicy the CNI ignores them and every policy of the charts would be decoration.
  addon_configuration = {
    "vpc-cni" = jsonencode({ enableNetworkPolicy = "true" })
  }

  # IRSA roles of the add-ons that call AWS APIs.
  addon_roles = {
    "vpc-cni"            = module.workload_iam.role_arns["vpc_cni"]
    "aws-ebs-csi-driver" = module.workload_iam.role_arns["ebs_csi"]
    "aws-efs-csi-driver" = module.workload_iam.role_arns["efs_csi"]
  }
}

module "network" {
  source = "../../modules/network"

  name                    = local.prefix
  cluster_name            = local.cluster_name
  vpc_cidr                = var.vpc_cidr
  availability_zones      = local.azs
  nat_gateway_mode        = var.nat_gateway_mode
  interface_endpoints     = var.interface_endpoints
  flow_log_retention_days = var.log_retention_days
}

# EBS volumes of the cluster: the nodes' root volumes and the gp3 StorageClass's persistent volumes.
# EC2 Auto Scaling launches the managed nodes with its service-linked role, which needs the key in the
# key policy. It is named by aws:PrincipalArn rather than as the principal because a key policy naming a
# role that does not exist yet is rejected, and the role appears only with the account's first Auto
# Scaling group (the first node group, created after this key). The EBS CSI driver uses the key through
# its IRSA role (workload_iam, grants only for AWS resources).
data "aws_iam_policy_document" "ebs_key" {
  statement {
    sid       = "AutoScalingLaunchesEncryptedNodes"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:PrincipalArn"
      values   = [local.autoscaling_role_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "AutoScalingGrantsForVolumes"
    actions   = ["kms:CreateGrant"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:PrincipalArn"
      values   = [local.autoscaling_role_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
}

module "ebs_kms" {
  source = "../../modules/kms_key"

  name             = "${local.prefix}-ebs"
  description      = "EBS volumes of ${local.cluster_name}: node root volumes and persistent volumes"
  policy_documents = [data.aws_iam_policy_document.ebs_key.json]
  tags             = local.tags
}

module "eks" {
  source = "../../modules/eks"

  name                         = local.prefix
  kubernetes_version           = var.kubernetes_version
  vpc_id                       = module.network.vpc_id
  node_subnet_ids              = module.network.private_subnet_ids
  control_plane_subnet_ids     = module.network.intra_subnet_ids
  endpoint_public_access_cidrs = var.endpoint_public_access_cidrs
  # The Ansible controller's networks on the private endpoint (docs/infrastructure.md, "API endpoint access").
  endpoint_private_access_cidrs              = var.endpoint_private_access_cidrs
  endpoint_private_access_security_group_ids = var.endpoint_private_access_security_group_ids
  admin_principal_arns                       = var.admin_principal_arns
  cluster_log_retention_days                 = var.log_retention_days
  node_groups                                = var.node_groups
  node_volume_kms_key_arn                    = module.ebs_kms.arn
  detailed_monitoring                        = var.node_detailed_monitoring
  addons_enabled                             = var.eks_addons_enabled
  access_entries_enabled                     = var.eks_access_entries_enabled

  addons = {
    for a in local.required_addons : a => {
      version                  = lookup(var.addon_versions, a, null)
      service_account_role_arn = lookup(local.addon_roles, a, null)
      configuration_values     = lookup(local.addon_configuration, a, null)
    }
  }
}

module "workload_iam" {
  source = "../../modules/workload_iam"

  name                = local.prefix
  cluster_name        = module.eks.cluster_name
  oidc_provider_arn   = module.eks.oidc_provider_arn
  oidc_issuer         = module.eks.oidc_issuer
  secrets_name_prefix = local.secrets_prefix

  # The backend's own queue, bucket and their key; External Secrets decrypts with the data key via Secrets Manager.
  backend_queue_arns   = [module.queue.arn]
  backend_bucket_arns  = [module.assets_bucket.arn]
  backend_kms_key_arns = [module.data_kms.arn]
  secrets_kms_key_arns = [module.data_kms.arn]
  ebs_kms_key_arns     = [module.ebs_kms.arn]
  # Fluent Bit writes the container log group of observability.tf, nothing else.
  fluent_bit_log_group_arns = [local.container_log_group_arn]
  # DocumentDB names its managed master user secret itself (rds!cluster-...), outside the prefix.
  extra_secret_arns = var.documentdb.enabled ? [module.documentdb[0].master_user_secret_arn] : []
}
