# One private S3 bucket: versioned, encrypted (SSE-KMS with bucket keys, or SSE-S3 where AWS
# requires it, such as targets of server access logs), owner-enforced, TLS 1.2+ only, with lifecycle
# rules and optional access logging into another bucket.
# checkov findings that hold for some buckets only are suppressed where the module is called, on the
# instance they are true for (a skip on the module block applies to that instance alone).

resource "aws_s3_bucket" "this" {
  bucket              = var.name
  force_destroy       = var.force_destroy
  object_lock_enabled = var.object_lock != null
  tags                = var.tags

  lifecycle {
    precondition {
      condition     = var.transition_to_glacier_days == null || var.transition_to_ia_days == null || try(var.transition_to_glacier_days > var.transition_to_ia_days, false)
      error_message = "transition_to_glacier_days must be later than transition_to_ia_days."
    }
    precondition {
      condition     = var.expiration_days == null || var.transition_to_glacier_days == null || try(var.expiration_days > var.transition_to_glacier_days, false)
      error_message = "expiration_days must be later than transition_to_glacier_days."
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

# One rule for the whole bucket (a second whole-bucket rule would make the abort period ambiguous to
# readers and scanners): old versions expire, stalled multipart uploads are aborted, and current
# objects optionally move to Standard-IA and/or expire.
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "retention"
    status = "Enabled"
    filter {}

    noncurrent_version_expiration {
      noncurrent_days           = var.noncurrent_version_expiration_days
      newer_noncurrent_versions = var.noncurrent_versions_to_keep
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }

    dynamic "transition" {
      for_each = var.transition_to_ia_days != null ? [var.transition_to_ia_days] : []
      content {
        days          = transition.value
        storage_class = "STANDARD_IA"
      }
    }

    dynamic "transition" {
      for_each = var.transition_to_glacier_days != null ? [var.transition_to_glacier_days] : []
      content {
        days          = transition.value
        storage_class = "GLACIER"
      }
    }

    dynamic "expiration" {
      for_each = var.expiration_days != null ? [var.expiration_days] : []
      content {
        days = expiration.value
      }
    }

    # A delete marker with no older versions left hides nothing; S3 removes it.
    dynamic "expiration" {
      for_each = var.expire_delete_markers ? [true] : []
      content {
        expired_object_delete_marker = expiration.value
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

# Write once, read many: every new object version is retained for the default period.
resource "aws_s3_bucket_object_lock_configuration" "this" {
  count  = var.object_lock != null ? 1 : 0
  bucket = aws_s3_bucket.this.id

  rule {
    default_retention {
      mode = var.object_lock.mode
      days = var.object_lock.days
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_logging" "this" {
  count         = var.logging_target_bucket != null ? 1 : 0
  bucket        = aws_s3_bucket.this.id
  target_bucket = var.logging_target_bucket
  target_prefix = coalesce(var.logging_target_prefix, "s3-access/${var.name}/")
}

data "aws_iam_policy_document" "this" {
  source_policy_documents = var.policy_documents

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid       = "DenyTLSBelow12"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "NumericLessThan"
      variable = "s3:TlsVersion"
      values   = ["1.2"]
    }
  }

  # S3 server access logs: each source bucket of this account may write under its own prefix only.
  dynamic "statement" {
    for_each = { for i, arn in var.accept_access_logs_from : tostring(i) => arn }
    content {
      sid       = "S3ServerAccessLogs${statement.key}"
      actions   = ["s3:PutObject"]
      resources = ["${aws_s3_bucket.this.arn}/s3-access/${split(":::", statement.value)[1]}/*"]
      principals {
        type        = "Service"
        identifiers = ["logging.s3.amazonaws.com"]
      }
      condition {
        test     = "ArnLike"
        variable = "aws:SourceArn"
        values   = [statement.value]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [data.aws_caller_identity.current.account_id]
      }
    }
  }
}

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket_policy" "this" {
  count  = var.attach_policy ? 1 : 0
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.this.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}
