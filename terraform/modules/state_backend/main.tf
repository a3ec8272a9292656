# Remote state storage for every stack of the platform: one versioned, KMS-encrypted, TLS-only S3
# bucket (modules/bucket) with a key of its own (modules/kms_key), and a bucket policy that keeps
# every state write on that key. Locking uses S3 conditional writes (backend option use_lockfile,
# Terraform >= 1.10), so there is no DynamoDB table.

data "aws_iam_policy_document" "key_administrators" {
  # checkov:skip=CKV_AWS_109:This is a KMS key policy: Resource "*" means this key only.
  # checkov:skip=CKV_AWS_111:This is a KMS key policy: Resource "*" means this key only.
  # checkov:skip=CKV_AWS_356:This is a KMS key policy: Resource "*" means this key only (KMS key policies admit no other resource).
  count = length(var.kms_key_administrator_arns) > 0 ? 1 : 0

  statement {
    sid    = "KeyAdministrators"
    effect = "Allow"
    actions = [
      "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
      "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource",
      "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
    ]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = var.kms_key_administrator_arns
    }
  }
}

# The account root keeps full control (modules/kms_key), so IAM policies in this account decide who may
# use the key; kms_key_administrator_arns adds named administrators.
module "key" {
  source = "../kms_key"

  name                    = var.bucket_name
  description             = "Encrypts Terraform state in s3://${var.bucket_name}"
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy_documents        = data.aws_iam_policy_document.key_administrators[*].json
  tags                    = var.tags
}

data "aws_iam_policy_document" "state_writes" {
  # State holds secrets (the Redis AUTH token): every write must end up under the state key. A PUT that
  # names an encryption must name SSE-KMS with this key (the S3 backend sends it with kms_key_id; without
  # it, it sends AES256, which overrides the bucket default). A PUT that names none gets the bucket's
  # default, this key; UploadPart requests carry no encryption headers and inherit the upload's.
  statement {
    sid       = "DenyStateWritesNotOnKms"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${module.bucket.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringNotEqualsIfExists"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }
  }

  statement {
    sid       = "DenyStateWritesWithAnotherKey"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${module.bucket.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnNotEqualsIfExists"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [module.key.arn]
    }
  }

  # SSE-KMS named without a key id would use the AWS managed key aws/s3.
  statement {
    sid       = "DenyStateWritesOnTheAwsManagedKey"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${module.bucket.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }

    condition {
      test     = "Null"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = ["true"]
    }
  }

  statement {
    sid       = "DenyStateWritesWithCustomerKeys"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${module.bucket.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Null"
      variable = "s3:x-amz-server-side-encryption-customer-algorithm"
      values   = ["false"]
    }
  }
}

module "bucket" {
  # checkov:skip=CKV_AWS_144:Cross-region replication of state is a disaster-recovery choice per organisation; versioning plus KMS protect against loss and tampering here.
  # checkov:skip=CKV2_AWS_62:No consumer for state-change events; CloudTrail records access.
  # checkov:skip=CKV_AWS_18:Access logging is optional (access_log_bucket); the bootstrap bucket cannot log to a bucket that does not exist yet.
  source = "../bucket"

  name                               = var.bucket_name
  kms_key_arn                        = module.key.arn
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  noncurrent_versions_to_keep        = var.noncurrent_versions_to_keep
  expire_delete_markers              = true
  logging_target_bucket              = var.access_log_bucket
  logging_target_prefix              = var.access_log_prefix
  policy_documents                   = [data.aws_iam_policy_document.state_writes.json]
  attach_policy                      = var.attach_bucket_policy
  force_destroy                      = var.force_destroy
  tags                               = var.tags
}

# State written before the module composed modules/kms_key and modules/bucket: the same objects, new addresses.
moved {
  from = aws_kms_key.state
  to   = module.key.aws_kms_key.this
}

moved {
  from = aws_kms_alias.state
  to   = module.key.aws_kms_alias.this
}

moved {
  from = aws_s3_bucket.state
  to   = module.bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_ownership_controls.state
  to   = module.bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_public_access_block.state
  to   = module.bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_versioning.state
  to   = module.bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.state
  to   = module.bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.state
  to   = module.bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_logging.state
  to   = module.bucket.aws_s3_bucket_logging.this
}

moved {
  from = aws_s3_bucket_policy.state
  to   = module.bucket.aws_s3_bucket_policy.this
}
