# GitHub Actions OIDC access for the image pipeline: the IAM OIDC provider for
# token.actions.githubusercontent.com (or an existing one), an image-push role trusted only by workflow
# runs on one branch of one repository, and one promotion role per target environment trusted only by
# jobs that run in that GitHub environment. Permissions cover the listed ECR repositories only.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  issuer   = "token.actions.githubusercontent.com"
  audience = "sts.amazonaws.com"

  provider_arn = var.oidc_provider_arn != null ? var.oidc_provider_arn : aws_iam_openid_connect_provider.github[0].arn

  # The repositories live in the account and region the roles are created in (the shared-services account).
  repository_arns = sort([
    for n in var.ecr_repository_names :
    "arn:${data.aws_partition.current.partition}:ecr:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:repository/${n}"
  ])

  # GitHub's default subject claims: a job without `environment:` gets repo:<owner/name>:ref:<git ref>; a job
  # that declares an environment gets repo:<owner/name>:environment:<name> instead (whatever its branch).
  image_push_subject = "repo:${var.github_repository}:ref:refs/heads/${var.image_push_branch}"
  promote_subjects   = { for e in var.promote_environments : e => "repo:${var.github_repository}:environment:${e}" }

  subjects = merge({ image_push = local.image_push_subject }, { for e, s in local.promote_subjects : "promote_${e}" => s })
}

# One IAM OIDC provider per URL and account: create it here, or reuse the account's (oidc_provider_arn).
# No thumbprint_list: IAM verifies token.actions.githubusercontent.com against its own library of trusted
# root CAs, and the AWS provider (5.x) leaves the thumbprints to IAM when none are given.
resource "aws_iam_openid_connect_provider" "github" {
  count = var.oidc_provider_arn == null ? 1 : 0

  url            = "https://${local.issuer}"
  client_id_list = [local.audience]

  tags = merge(var.tags, { Name = local.issuer })
}

# Exact matches only (StringEquals): the audience GitHub's aws-actions/configure-aws-credentials requests,
# and the one subject each role is for. No StringLike, no wildcard.
data "aws_iam_policy_document" "trust" {
  for_each = local.subjects

  statement {
    sid     = "GitHubActionsOidc"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = [local.audience]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = [each.value]
    }
  }
}

resource "aws_iam_role" "image_push" {
  name                 = var.image_push_role_name
  description          = "Image pipeline: push to the chatbot ECR repositories from ${local.image_push_subject}"
  assume_role_policy   = data.aws_iam_policy_document.trust["image_push"].json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn

  tags = merge(var.tags, { "chatbot.platform/github-subject" = local.image_push_subject })
}

resource "aws_iam_role" "promote" {
  for_each = local.promote_subjects

  name                 = "${var.promote_role_name_prefix}-${each.key}"
  description          = "Image pipeline: promote chatbot images by digest into ${each.key} from ${each.value}"
  assume_role_policy   = data.aws_iam_policy_document.trust["promote_${each.key}"].json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn

  tags = merge(var.tags, { "chatbot.platform/github-subject" = each.value })
}

# KMS: none of these roles needs a KMS permission, even on repositories encrypted with a customer managed key.
# The ECR user guide ("Encryption at rest") describes the integration: when a KMS-encrypted repository is
# created, ECR calls DescribeKey and creates grants on the key with the repository as grantee; on push ECR asks
# KMS for a data key (GenerateDataKey) and on pull has it decrypted (Decrypt), under those grants. Only the
# principal that creates the repository (the ECR step, not these roles) needs kms:CreateGrant, kms:RetireGrant
# and kms:DescribeKey on the key.

# Reads of the vulnerability gate (chatbot.platform.ecr_image, roles/ecr/tasks/promote.yml): the image and its
# tags, its scan findings, and a scan started when the image has none yet.
locals {
  gate_actions = ["ecr:DescribeImages", "ecr:DescribeImageScanFindings", "ecr:StartImageScan"]
}

data "aws_iam_policy_document" "image_push" {
  # GetAuthorizationToken is a registry-level action without a resource type: IAM only accepts "*" for it.
  statement {
    sid       = "RegistryLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  # The push itself (layer uploads and the manifest), plus the reads Buildx makes against the same repositories:
  # existing manifests and layers (BatchGetImage, GetDownloadUrlForLayer) for registry build caches, blob mounts
  # and the image index that carries the SBOM and provenance attestations.
  statement {
    sid = "PushChatbotImages"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:InitiateLayerUpload",
      "ecr:UploadLayerPart",
      "ecr:CompleteLayerUpload",
      "ecr:PutImage",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = local.repository_arns
  }

  statement {
    sid       = "ScanGate"
    actions   = local.gate_actions
    resources = local.repository_arns
  }
}

resource "aws_iam_role_policy" "image_push" {
  name   = "ecr-push"
  role   = aws_iam_role.image_push.id
  policy = data.aws_iam_policy_document.image_push.json
}

# Promotion re-tags a gated digest through the API (BatchGetImage for the manifest, PutImage under the new tags,
# DescribeRepositories for the tag mutability rules): no Docker login, no layer moves, so no
# GetAuthorizationToken and no layer actions.
data "aws_iam_policy_document" "promote" {
  statement {
    sid       = "PromoteByDigest"
    actions   = ["ecr:BatchGetImage", "ecr:PutImage", "ecr:DescribeRepositories"]
    resources = local.repository_arns
  }

  statement {
    sid       = "ScanGate"
    actions   = local.gate_actions
    resources = local.repository_arns
  }
}

resource "aws_iam_role_policy" "promote" {
  for_each = aws_iam_role.promote

  name   = "ecr-promote"
  role   = each.value.id
  policy = data.aws_iam_policy_document.promote.json
}
