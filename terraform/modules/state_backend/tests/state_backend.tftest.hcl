# Plan-time assertions with a mocked provider: no AWS account or network needed.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "111122223333"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }

  mock_resource "aws_kms_key" {
    override_during = plan
    defaults = {
      arn = "arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555"
    }
  }

  # The provider renders policy documents locally; the mock needs a syntactically valid JSON string.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  bucket_name = "chatbot-test-tfstate"
  tags        = { Project = "chatbot" }
}

run "encryption_uses_own_rotating_kms_key" {
  command = plan

  assert {
    condition     = aws_kms_key.state.enable_key_rotation == true
    error_message = "The state key must rotate."
  }

  assert {
    condition     = aws_kms_key.state.deletion_window_in_days == 30
    error_message = "The default deletion window must be the maximum, 30 days."
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.state.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms"
    error_message = "State must be encrypted with SSE-KMS."
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.state.rule).bucket_key_enabled == true
    error_message = "S3 bucket keys must be on to keep KMS request costs down."
  }

  assert {
    condition     = aws_kms_alias.state.name == "alias/chatbot-test-tfstate"
    error_message = "The key alias must follow the bucket name."
  }
}

run "versioning_and_public_access_block" {
  command = plan

  assert {
    condition     = aws_s3_bucket_versioning.state.versioning_configuration[0].status == "Enabled"
    error_message = "Versioning must be enabled: it is the rollback path for state."
  }

  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.state.block_public_acls,
      aws_s3_bucket_public_access_block.state.block_public_policy,
      aws_s3_bucket_public_access_block.state.ignore_public_acls,
      aws_s3_bucket_public_access_block.state.restrict_public_buckets,
    ])
    error_message = "All four public access block settings must be on."
  }

  assert {
    condition     = one(aws_s3_bucket_ownership_controls.state.rule).object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled (BucketOwnerEnforced)."
  }

  assert {
    condition     = aws_s3_bucket.state.force_destroy == false
    error_message = "A state bucket must not be force-destroyable by default."
  }
}

run "lifecycle_keeps_history_and_cleans_up" {
  command = plan

  assert {
    condition = anytrue([
      for rule in aws_s3_bucket_lifecycle_configuration.state.rule :
      rule.status == "Enabled" && (length(rule.noncurrent_version_expiration) == 1 ? (
        rule.noncurrent_version_expiration[0].noncurrent_days == 90 &&
        rule.noncurrent_version_expiration[0].newer_noncurrent_versions == 20
      ) : false)
    ])
    error_message = "Superseded versions must expire after 90 days while the 20 newest are kept."
  }

  assert {
    condition = anytrue([
      for rule in aws_s3_bucket_lifecycle_configuration.state.rule :
      length(rule.abort_incomplete_multipart_upload) == 1 ? rule.abort_incomplete_multipart_upload[0].days_after_initiation == 7 : false
    ])
    error_message = "Incomplete multipart uploads must be aborted."
  }

  assert {
    condition     = length(aws_s3_bucket_logging.state) == 0
    error_message = "Access logging is off unless a target bucket is given."
  }
}

run "access_logging_when_target_given" {
  command = plan

  variables {
    access_log_bucket = "chatbot-test-access-logs"
  }

  assert {
    condition     = aws_s3_bucket_logging.state[0].target_bucket == "chatbot-test-access-logs"
    error_message = "Access logs must go to the given bucket."
  }

  assert {
    condition     = aws_s3_bucket_logging.state[0].target_prefix == "s3-access/tfstate/"
    error_message = "Access logs must use the documented default prefix."
  }
}

run "bucket_policy_is_tls_only" {
  command = plan

  assert {
    condition     = length(aws_s3_bucket_policy.state) == 1
    error_message = "The bucket policy must be attached by default."
  }

  assert {
    condition = anytrue([
      for st in data.aws_iam_policy_document.bucket.statement :
      st.effect == "Deny" && contains(st.actions, "s3:*") && anytrue([
        for c in st.condition : c.test == "Bool" && c.variable == "aws:SecureTransport" && contains(c.values, "false")
      ])
    ])
    error_message = "The bucket policy must deny every request that does not use TLS."
  }

  assert {
    condition = anytrue([
      for st in data.aws_iam_policy_document.bucket.statement :
      st.effect == "Deny" && anytrue([
        for c in st.condition : c.test == "NumericLessThan" && c.variable == "s3:TlsVersion" && contains(c.values, "1.2")
      ])
    ])
    error_message = "The bucket policy must deny TLS versions below 1.2."
  }
}

run "state_writes_only_on_the_state_key" {
  command = plan

  assert {
    condition = anytrue([
      for st in data.aws_iam_policy_document.bucket.statement :
      st.effect == "Deny" && st.actions == toset(["s3:PutObject"]) && anytrue([
        for c in st.condition : c.test == "StringNotEqualsIfExists" && c.variable == "s3:x-amz-server-side-encryption" && c.values == tolist(["aws:kms"])
      ])
    ])
    error_message = "A state write that names SSE-S3 (what the S3 backend sends without kms_key_id) must be denied."
  }

  assert {
    condition = anytrue([
      for st in data.aws_iam_policy_document.bucket.statement :
      st.effect == "Deny" && st.actions == toset(["s3:PutObject"]) && anytrue([
        for c in st.condition : c.test == "ArnNotEqualsIfExists" && c.variable == "s3:x-amz-server-side-encryption-aws-kms-key-id" && c.values == tolist([aws_kms_key.state.arn])
      ])
    ])
    error_message = "A state write that names another KMS key than the state key must be denied."
  }

  assert {
    condition = anytrue([
      for st in data.aws_iam_policy_document.bucket.statement :
      st.effect == "Deny" && length([for c in st.condition : c if c.test == "Null" && c.variable == "s3:x-amz-server-side-encryption-aws-kms-key-id" && c.values == tolist(["true"])]) == 1
      && length([for c in st.condition : c if c.test == "StringEquals" && c.variable == "s3:x-amz-server-side-encryption" && c.values == tolist(["aws:kms"])]) == 1
    ])
    error_message = "SSE-KMS without a key id (the AWS managed aws/s3 key) must be denied."
  }

  assert {
    condition = anytrue([
      for st in data.aws_iam_policy_document.bucket.statement :
      st.effect == "Deny" && anytrue([for c in st.condition : c.test == "Null" && c.variable == "s3:x-amz-server-side-encryption-customer-algorithm" && c.values == tolist(["false"])])
    ])
    error_message = "State writes with customer-provided keys (SSE-C) must be denied."
  }

  assert {
    condition     = output.backend_config.kms_key_id == aws_kms_key.state.arn && output.backend_config.encrypt
    error_message = "The backend settings other stacks use must name the state key."
  }
}

run "rejects_invalid_bucket_name" {
  command = plan

  variables {
    bucket_name = "Invalid_Bucket"
  }

  expect_failures = [var.bucket_name]
}

run "rejects_deletion_window_out_of_range" {
  command = plan

  variables {
    kms_key_deletion_window_in_days = 3
  }

  expect_failures = [var.kms_key_deletion_window_in_days]
}
