# One customer managed KMS key with rotation and an alias. The account root keeps full control, so
# IAM policies in the account decide who uses the key (services such as SQS, S3, Secrets Manager,
# ElastiCache and EFS use it on behalf of those principals). CloudWatch Logs is the exception: it
# encrypts as its own service principal, limited here to the given log group ARNs. Other service
# principals (CloudTrail, Config, CloudWatch alarms) come in through policy_documents.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

data "aws_iam_policy_document" "this" {
  # checkov:skip=CKV_AWS_109: KMS key policy; the account root keeps kms:* so the key stays manageable through IAM.
  # checkov:skip=CKV_AWS_111: KMS key policy; Resource "*" in a key policy means this key only.
  # checkov:skip=CKV_AWS_356: KMS key policy; Resource "*" in a key policy means this key only.
  source_policy_documents = var.policy_documents

  statement {
    sid       = "AccountRootFullAccess"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  dynamic "statement" {
    for_each = length(var.cloudwatch_log_group_arns) > 0 ? [1] : []
    content {
      sid       = "CloudWatchLogsOfTheseGroups"
      actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
      resources = ["*"]
      principals {
        type        = "Service"
        identifiers = ["logs.${data.aws_region.current.name}.amazonaws.com"]
      }
      condition {
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = var.cloudwatch_log_group_arns
      }
    }
  }
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = data.aws_iam_policy_document.this.json
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}
