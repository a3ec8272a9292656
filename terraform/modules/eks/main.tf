# The EKS cluster: control plane with envelope-encrypted secrets and encrypted control-plane logs (a key
# of its own from modules/kms_key), API access entries, IRSA (OIDC provider), managed node groups from a
# launch template with encrypted volumes, and pinned EKS add-ons.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  cluster_name = "${var.name}-eks"
  partition    = data.aws_partition.current.partition

  # Tags cluster-autoscaler uses for auto-discovery. EKS puts the same two tags on the Auto Scaling group of
  # every managed node group itself; they are set here as well so the node groups carry them too.
  autoscaler_tags = {
    "k8s.io/cluster-autoscaler/enabled"               = "true"
    "k8s.io/cluster-autoscaler/${local.cluster_name}" = "owned"
  }

  # The EKS API spells taint effects in upper snake case; Kubernetes (tolerations, node templates) in camel case.
  kubernetes_taint_effects = { NO_SCHEDULE = "NoSchedule", NO_EXECUTE = "NoExecute", PREFER_NO_SCHEDULE = "PreferNoSchedule" }

  # Every workload role is IRSA (workload_iam), so the EKS Pod Identity agent is not installed: it would
  # run on every node with nothing to serve (no pod identity association exists).
  addons_before_nodes = ["vpc-cni", "kube-proxy"]

  # The add-ons this module installs (none when addons_enabled is false, against emulators only).
  addons = var.addons_enabled ? var.addons : {}

  # Resolve every add-on version: the pinned one, or the EKS default for this Kubernetes version.
  addon_versions = { for n, a in local.addons : n => a.version != null ? a.version : data.aws_eks_addon_version.default[n].version }

  # Access entries for the admins and the node role (none when access_entries_enabled is false).
  admin_principal_arns = var.access_entries_enabled ? toset(var.admin_principal_arns) : toset([])
}

# ---------------------------------------------------------------------------------------------
# Envelope encryption of Kubernetes secrets and of the control-plane log group
# ---------------------------------------------------------------------------------------------
module "cluster_key" {
  source = "../kms_key"

  name                      = local.cluster_name
  description               = "${local.cluster_name} secrets envelope encryption and control-plane logs"
  cloudwatch_log_group_arns = ["arn:${local.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:/aws/eks/${local.cluster_name}/cluster"]
  tags                      = merge(var.tags, { Name = "${local.cluster_name}-secrets" })
}

# Keys created before the module composed modules/kms_key: the same key, a new address.
moved {
  from = aws_kms_key.cluster
  to   = module.cluster_key.aws_kms_key.this
}

moved {
  from = aws_kms_alias.cluster
  to   = module.cluster_key.aws_kms_alias.this
}

# Created before the cluster so EKS does not create an unencrypted group without retention.
resource "aws_cloudwatch_log_group" "cluster" {
  name              = "/aws/eks/${local.cluster_name}/cluster"
  retention_in_days = var.cluster_log_retention_days
  kms_key_id        = module.cluster_key.arn

  tags = var.tags
}

# ---------------------------------------------------------------------------------------------
# Cluster
# ---------------------------------------------------------------------------------------------
data "aws_iam_policy_document" "cluster_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name               = "${local.cluster_name}-cluster"
  assume_role_policy = data.aws_iam_policy_document.cluster_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

# The role may use the key only through EKS for secrets encryption.
data "aws_iam_policy_document" "cluster_encryption" {
  statement {
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey", "kms:CreateGrant"]
    resources = [module.cluster_key.arn]
  }
}

resource "aws_iam_role_policy" "cluster_encryption" {
  name   = "secrets-envelope-encryption"
  role   = aws_iam_role.cluster.id
  policy = data.aws_iam_policy_document.cluster_encryption.json
}

resource "aws_security_group" "cluster" {
  name        = "${local.cluster_name}-cluster"
  description = "EKS control plane ENIs; EKS adds the cluster security group rules itself"
  vpc_id      = var.vpc_id

  egress {
    description = "Control plane to kubelets, webhooks and AWS APIs inside the VPC"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [data.aws_vpc.this.cidr_block]
  }

  tags = merge(var.tags, { Name = "${local.cluster_name}-cluster" })
}

# Who may reach the private API endpoint (HTTPS) from inside the VPC or a connected network: the Ansible
# controller (AWX execution nodes, a CI runner, an SSM port-forwarding host). Nodes reach the control plane
# through the cluster security group EKS manages; these rules are for people and automation.
resource "aws_vpc_security_group_ingress_rule" "api_from_cidrs" {
  for_each = toset(var.endpoint_private_access_cidrs)

  security_group_id = aws_security_group.cluster.id
  description       = "Kubernetes API from ${each.value}"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  tags              = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "api_from_security_groups" {
  for_each = toset(var.endpoint_private_access_security_group_ids)

  security_group_id            = aws_security_group.cluster.id
  description                  = "Kubernetes API from ${each.value}"
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  tags                         = var.tags
}

data "aws_vpc" "this" {
  id = var.vpc_id
}

resource "aws_eks_cluster" "this" {
  # checkov:skip=CKV_AWS_339: checkov's built-in list of supported versions ends before 1.36; the variable validation enforces >= 1.29 and docs/infrastructure.md tracks the EKS calendar.
  name                          = local.cluster_name
  version                       = var.kubernetes_version
  role_arn                      = aws_iam_role.cluster.arn
  enabled_cluster_log_types     = var.cluster_log_types
  bootstrap_self_managed_addons = false

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = false
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = module.cluster_key.arn
    }
  }

  vpc_config {
    subnet_ids              = var.control_plane_subnet_ids
    security_group_ids      = [aws_security_group.cluster.id]
    endpoint_private_access = true
    endpoint_public_access  = length(var.endpoint_public_access_cidrs) > 0
    public_access_cidrs     = length(var.endpoint_public_access_cidrs) > 0 ? var.endpoint_public_access_cidrs : null
  }

  upgrade_policy {
    support_type = "STANDARD"
  }

  tags = var.tags

  depends_on = [
    aws_iam_role_policy_attachment.cluster,
    aws_iam_role_policy.cluster_encryption,
    aws_cloudwatch_log_group.cluster,
  ]
}

resource "aws_eks_access_entry" "admin" {
  for_each = local.admin_principal_arns

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  type          = "STANDARD"
  tags          = var.tags
}

resource "aws_eks_access_policy_association" "admin" {
  for_each = local.admin_principal_arns

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.admin[each.key].principal_arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }
}

# IRSA: IAM trusts the cluster's OIDC issuer; thumbprints are optional because IAM validates EKS issuers
# against its own root CAs.
resource "aws_iam_openid_connect_provider" "this" {
  url             = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = length(var.oidc_thumbprints) > 0 ? var.oidc_thumbprints : null

  tags = merge(var.tags, { Name = "${local.cluster_name}-irsa" })
}

# ---------------------------------------------------------------------------------------------
# Managed node groups
# ---------------------------------------------------------------------------------------------
data "aws_iam_policy_document" "node_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name               = "${local.cluster_name}-node"
  assume_role_policy = data.aws_iam_policy_document.node_assume.json
  tags               = var.tags
}

# The VPC CNI policy is deliberately not attached here: vpc-cni runs with its own IRSA role.
resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset([
    "AmazonEKSWorkerNodePolicy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonSSMManagedInstanceCore",
  ])

  role       = aws_iam_role.node.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value}"
}

resource "aws_eks_access_entry" "node" {
  count = var.access_entries_enabled ? 1 : 0

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_iam_role.node.arn
  type          = "EC2_LINUX"
  tags          = var.tags
}

resource "aws_launch_template" "node" {
  for_each = var.node_groups

  name                   = "${local.cluster_name}-${each.key}"
  description            = "${local.cluster_name} ${each.key} nodes: IMDSv2 only, gp3 root volume on the customer managed key"
  update_default_version = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1 # pods use IRSA, never the node role
    instance_metadata_tags      = "disabled"
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_type           = "gp3"
      volume_size           = each.value.disk_size_gib
      encrypted             = true
      kms_key_id            = var.node_volume_kms_key_arn
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = var.detailed_monitoring
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = "${local.cluster_name}-${each.key}" })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(var.tags, { Name = "${local.cluster_name}-${each.key}" })
  }

  tags = var.tags
}

resource "aws_eks_node_group" "this" {
  for_each = var.node_groups

  cluster_name    = aws_eks_cluster.this.name
  node_group_name = each.key
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.node_subnet_ids
  ami_type        = each.value.ami_type
  capacity_type   = each.value.capacity_type
  instance_types  = each.value.instance_types
  labels          = merge(each.value.labels, { "chatbot.platform/node-group" = each.key })

  launch_template {
    id      = aws_launch_template.node[each.key].id
    version = aws_launch_template.node[each.key].latest_version
  }

  scaling_config {
    min_size     = each.value.min_size
    max_size     = each.value.max_size
    desired_size = each.value.desired_size
  }

  update_config {
    max_unavailable_percentage = each.value.max_unavailable_pct
  }

  dynamic "taint" {
    for_each = each.value.taints
    content {
      key    = taint.value.key
      value  = taint.value.value
      effect = taint.value.effect
    }
  }

  tags = merge(var.tags, local.autoscaler_tags, { Name = "${local.cluster_name}-${each.key}" })

  lifecycle {
    # cluster-autoscaler owns the current size once the group exists.
    ignore_changes = [scaling_config[0].desired_size]
  }

  depends_on = [aws_iam_role_policy_attachment.node, aws_eks_access_entry.node, aws_eks_addon.before_nodes]
}

# ---------------------------------------------------------------------------------------------
# Add-ons
# ---------------------------------------------------------------------------------------------
data "aws_eks_addon_version" "default" {
  for_each = { for n, a in local.addons : n => a if a.version == null }

  addon_name         = each.key
  kubernetes_version = var.kubernetes_version
  most_recent        = false
}

# Networking add-ons come first: with bootstrap_self_managed_addons = false nodes only become Ready once
# vpc-cni and kube-proxy run, so the node groups wait for these.
resource "aws_eks_addon" "before_nodes" {
  for_each = { for n, a in local.addons : n => a if contains(local.addons_before_nodes, n) }

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = local.addon_versions[each.key]
  service_account_role_arn    = each.value.service_account_role_arn
  configuration_values        = each.value.configuration_values
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "PRESERVE"

  tags = var.tags
}

# CoreDNS and the CSI controllers are deployments that need nodes to schedule on.
resource "aws_eks_addon" "after_nodes" {
  for_each = { for n, a in local.addons : n => a if !contains(local.addons_before_nodes, n) }

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = local.addon_versions[each.key]
  service_account_role_arn    = each.value.service_account_role_arn
  configuration_values        = each.value.configuration_values
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "PRESERVE"

  tags = var.tags

  depends_on = [aws_eks_node_group.this]
}
