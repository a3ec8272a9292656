# IAM roles for service accounts (IRSA) of the cluster add-ons and the chatbot backend: AWS Load
# Balancer Controller, cluster-autoscaler, EBS and EFS CSI drivers, VPC CNI, External Secrets, each
# trusted only by its own service account through the cluster's OIDC provider.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id

  roles = {
    aws_load_balancer_controller = "aws-load-balancer-controller"
    cluster_autoscaler           = "cluster-autoscaler"
    ebs_csi                      = "ebs-csi"
    efs_csi                      = "efs-csi"
    vpc_cni                      = "vpc-cni"
    external_secrets             = "external-secrets"
    chatbot_backend              = "chatbot-backend"
    fluent_bit                   = "fluent-bit"
  }

  # AWS managed policies maintained with the drivers; the remaining roles get policies written here.
  managed_policies = {
    ebs_csi = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
    efs_csi = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy"
    vpc_cni = "arn:${local.partition}:iam::aws:policy/AmazonEKS_CNI_Policy"
  }

  cluster_tag     = "elbv2.k8s.aws/cluster"
  backend_enabled = length(var.backend_queue_arns) + length(var.backend_bucket_arns) > 0
}

# Every role trusts only its own namespace/service account of this cluster, for the STS audience. The EFS
# CSI role is the one exception with a pattern: the EKS add-on annotates both of its service accounts,
# efs-csi-controller-sa and efs-csi-node-sa, with it, as the add-on's documentation prescribes
# (StringLike system:serviceaccount:kube-system:efs-csi-*).
data "aws_iam_policy_document" "trust" {
  for_each = local.roles

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = strcontains(var.service_accounts[each.key].name, "*") ? "StringLike" : "StringEquals"
      variable = "${var.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.service_accounts[each.key].namespace}:${var.service_accounts[each.key].name}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.roles

  name                 = "${var.name}-${each.value}"
  description          = "IRSA role of ${var.service_accounts[each.key].namespace}/${var.service_accounts[each.key].name}"
  assume_role_policy   = data.aws_iam_policy_document.trust[each.key].json
  max_session_duration = 3600

  tags = merge(var.tags, {
    "chatbot.platform/service-account" = "${var.service_accounts[each.key].namespace}/${var.service_accounts[each.key].name}"
  })
}

resource "aws_iam_role_policy_attachment" "managed" {
  for_each = local.managed_policies

  role       = aws_iam_role.this[each.key].name
  policy_arn = each.value
}

# ---------------------------------------------------------------------------------------------
# EBS CSI: customer managed keys for encrypted volumes (only through EC2, only for grants on resources)
# ---------------------------------------------------------------------------------------------
data "aws_iam_policy_document" "ebs_csi_kms" {
  count = length(var.ebs_kms_key_arns) > 0 ? 1 : 0

  statement {
    actions   = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
    resources = var.ebs_kms_key_arns
    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }

  statement {
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = var.ebs_kms_key_arns
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ec2.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "ebs_csi_kms" {
  count = length(var.ebs_kms_key_arns) > 0 ? 1 : 0

  name   = "ebs-volume-keys"
  role   = aws_iam_role.this["ebs_csi"].id
  policy = data.aws_iam_policy_document.ebs_csi_kms[0].json
}

# ---------------------------------------------------------------------------------------------
# cluster-autoscaler: read anything, change only Auto Scaling groups tagged as owned by this cluster
# ---------------------------------------------------------------------------------------------
data "aws_iam_policy_document" "cluster_autoscaler" {
  # checkov:skip=CKV_AWS_356: Describe* calls of Auto Scaling and EC2 do not support resource-level permissions.
  statement {
    sid = "Discover"
    actions = [
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeAutoScalingInstances",
      "autoscaling:DescribeLaunchConfigurations",
      "autoscaling:DescribeScalingActivities",
      "autoscaling:DescribeTags",
      "ec2:DescribeImages",
      "ec2:DescribeInstanceTypes",
      "ec2:DescribeLaunchTemplateVersions",
      "ec2:GetInstanceTypesFromInstanceRequirements",
      "eks:DescribeNodegroup",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "ScaleOwnNodeGroups"
    actions   = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]
    resources = ["arn:${local.partition}:autoscaling:${local.region}:${local.account_id}:autoScalingGroup:*:autoScalingGroupName/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/k8s.io/cluster-autoscaler/${var.cluster_name}"
      values   = ["owned"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled"
      values   = ["true"]
    }
  }
}

resource "aws_iam_role_policy" "cluster_autoscaler" {
  name   = "cluster-autoscaler"
  role   = aws_iam_role.this["cluster_autoscaler"].id
  policy = data.aws_iam_policy_document.cluster_autoscaler.json
}

# ---------------------------------------------------------------------------------------------
# External Secrets: read only secrets under this environment's path
# ---------------------------------------------------------------------------------------------
data "aws_iam_policy_document" "external_secrets" {
  statement {
    sid       = "ReadEnvironmentSecrets"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"]
    resources = ["arn:${local.partition}:secretsmanager:${local.region}:${local.account_id}:secret:${var.secrets_name_prefix}*"]
  }

  # Secrets that AWS services name themselves (DocumentDB's managed master user secret, rds!cluster-...).
  dynamic "statement" {
    for_each = length(var.extra_secret_arns) > 0 ? [1] : []
    content {
      sid       = "ReadServiceManagedSecrets"
      actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      resources = var.extra_secret_arns
    }
  }

  dynamic "statement" {
    for_each = length(var.secrets_kms_key_arns) > 0 ? [1] : []
    content {
      sid       = "DecryptThroughSecretsManager"
      actions   = ["kms:Decrypt"]
      resources = var.secrets_kms_key_arns
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "external_secrets" {
  name   = "read-environment-secrets"
  role   = aws_iam_role.this["external_secrets"].id
  policy = data.aws_iam_policy_document.external_secrets.json
}

# ---------------------------------------------------------------------------------------------
# Chatbot backend: its own queues and buckets only
# ---------------------------------------------------------------------------------------------
data "aws_iam_policy_document" "chatbot_backend" {
  count = local.backend_enabled ? 1 : 0

  dynamic "statement" {
    for_each = length(var.backend_queue_arns) > 0 ? [1] : []
    content {
      sid = "Queues"
      actions = [
        "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
        "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
      ]
      resources = var.backend_queue_arns
    }
  }

  dynamic "statement" {
    for_each = length(var.backend_bucket_arns) > 0 ? [1] : []
    content {
      sid       = "ListBuckets"
      actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
      resources = var.backend_bucket_arns
    }
  }

  dynamic "statement" {
    for_each = length(var.backend_bucket_arns) > 0 ? [1] : []
    content {
      sid       = "Objects"
      actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
      resources = [for b in var.backend_bucket_arns : "${b}/*"]
    }
  }

  dynamic "statement" {
    for_each = length(var.backend_kms_key_arns) > 0 ? [1] : []
    content {
      sid       = "DataKeys"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = var.backend_kms_key_arns
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["sqs.${local.region}.amazonaws.com", "s3.${local.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "chatbot_backend" {
  count = local.backend_enabled ? 1 : 0

  name   = "chatbot-backend"
  role   = aws_iam_role.this["chatbot_backend"].id
  policy = data.aws_iam_policy_document.chatbot_backend[0].json
}

# ---------------------------------------------------------------------------------------------
# Fluent Bit: write log streams and events into its own log groups only (Terraform creates the groups with
# their retention and KMS key, so no CreateLogGroup and no PutRetentionPolicy)
# ---------------------------------------------------------------------------------------------
data "aws_iam_policy_document" "fluent_bit" {
  count = length(var.fluent_bit_log_group_arns) > 0 ? 1 : 0

  statement {
    sid       = "WriteOwnLogGroups"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = flatten([for arn in var.fluent_bit_log_group_arns : [arn, "${arn}:log-stream:*"]])
  }
}

resource "aws_iam_role_policy" "fluent_bit" {
  count = length(var.fluent_bit_log_group_arns) > 0 ? 1 : 0

  name   = "write-container-logs"
  role   = aws_iam_role.this["fluent_bit"].id
  policy = data.aws_iam_policy_document.fluent_bit[0].json
}
