# Plan-time assertions with a mocked provider: no AWS account needed.

mock_provider "aws" {
  # Shared defaults of the data-service modules (ARNs, account, region, policy JSON).
  source = "../../testing/aws"
}

variables {
  name        = "chatbot-test-assets-111122223333"
  kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/data"
}

run "private_encrypted_versioned" {
  command = plan

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms"
    error_message = "SSE-KMS with the given key by default."
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.this.rule).bucket_key_enabled
    error_message = "Bucket keys cut KMS requests and must be on with SSE-KMS."
  }

  assert {
    condition     = aws_s3_bucket_public_access_block.this.block_public_acls && aws_s3_bucket_public_access_block.this.block_public_policy && aws_s3_bucket_public_access_block.this.ignore_public_acls && aws_s3_bucket_public_access_block.this.restrict_public_buckets
    error_message = "All four public access blocks must be on."
  }

  assert {
    condition     = one(aws_s3_bucket_versioning.this.versioning_configuration).status == "Enabled"
    error_message = "Versioning must be on."
  }

  assert {
    condition = (
      one(one(aws_s3_bucket_lifecycle_configuration.this.rule).abort_incomplete_multipart_upload).days_after_initiation == 7 &&
      one(one(aws_s3_bucket_lifecycle_configuration.this.rule).noncurrent_version_expiration).noncurrent_days == var.noncurrent_version_expiration_days &&
      length(one(aws_s3_bucket_lifecycle_configuration.this.rule).expiration) == 0
    )
    error_message = "One whole-bucket rule: abort stalled uploads after 7 days, expire old versions, keep current objects unless asked."
  }

  assert {
    condition     = one(aws_s3_bucket_ownership_controls.this.rule).object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled."
  }

  assert {
    condition     = toset([for s in data.aws_iam_policy_document.this.statement : s.sid if s.effect == "Deny"]) == toset(["DenyInsecureTransport", "DenyTLSBelow12"])
    error_message = "The policy must deny plain HTTP and TLS below 1.2."
  }

  assert {
    condition     = aws_s3_bucket.this.force_destroy == false && length(aws_s3_bucket_logging.this) == 0
    error_message = "No force_destroy and no logging unless asked for."
  }
}

run "log_target_uses_sse_s3_and_expires" {
  # apply (against the mock) so the bucket ARN in the policy resources is known
  command = apply

  variables {
    name                    = "chatbot-test-logs-111122223333"
    kms_key_arn             = null
    expiration_days         = 365
    transition_to_ia_days   = 30
    accept_access_logs_from = ["arn:aws:s3:::chatbot-test-assets-111122223333"]
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "Server access logs are only delivered to SSE-S3 buckets."
  }

  assert {
    condition     = one(one(aws_s3_bucket_lifecycle_configuration.this.rule).expiration).days == 365 && one(one(aws_s3_bucket_lifecycle_configuration.this.rule).transition).storage_class == "STANDARD_IA"
    error_message = "Log buckets move to Standard-IA and expire their objects."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.this.statement :
      s.sid == "S3ServerAccessLogs0" && s.resources == toset(["arn:aws:s3:::mock/s3-access/chatbot-test-assets-111122223333/*"])
    ])
    error_message = "The log target must accept S3 server access logs, each source under its own prefix only."
  }
}

run "access_log_sources_must_be_bucket_arns" {
  command = plan

  variables {
    kms_key_arn             = null
    accept_access_logs_from = ["chatbot-test-assets"]
  }

  expect_failures = [var.accept_access_logs_from]
}

run "ia_transition_below_30_days_refused" {
  command = plan

  variables {
    transition_to_ia_days = 10
  }

  expect_failures = [var.transition_to_ia_days]
}

run "access_logs_go_to_the_log_bucket_under_their_own_prefix" {
  command = plan

  variables {
    logging_target_bucket = "chatbot-test-logs-111122223333"
  }

  assert {
    condition     = aws_s3_bucket_logging.this[0].target_bucket == "chatbot-test-logs-111122223333" && aws_s3_bucket_logging.this[0].target_prefix == "s3-access/${var.name}/"
    error_message = "Server access logs land in the log bucket under s3-access/<bucket>/, the prefix the log bucket policy allows."
  }
}

run "audit_archive_locks_objects_and_moves_them_to_glacier" {
  command = plan

  variables {
    name                       = "chatbot-org-cloudtrail-111122223333"
    object_lock                = { mode = "COMPLIANCE", days = 365 }
    transition_to_ia_days      = 30
    transition_to_glacier_days = 90
    expiration_days            = 2555
    policy_documents = [jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Sid = "ServiceWrite", Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "s3:PutObject", Resource = "arn:aws:s3:::chatbot-org-cloudtrail-111122223333/*" }]
    })]
  }

  assert {
    condition     = aws_s3_bucket.this.object_lock_enabled == true && one(one(aws_s3_bucket_object_lock_configuration.this[0].rule).default_retention).mode == "COMPLIANCE" && one(one(aws_s3_bucket_object_lock_configuration.this[0].rule).default_retention).days == 365
    error_message = "Object lock must be switched on at creation with the requested default retention."
  }

  assert {
    condition     = [for t in one(aws_s3_bucket_lifecycle_configuration.this.rule).transition : "${t.storage_class}@${t.days}"] == ["STANDARD_IA@30", "GLACIER@90"] && one(one(aws_s3_bucket_lifecycle_configuration.this.rule).expiration).days == 2555
    error_message = "Archives move to Standard-IA, then Glacier, and expire at the end of retention."
  }

  assert {
    condition     = length(data.aws_iam_policy_document.this.source_policy_documents) == 1 && strcontains(data.aws_iam_policy_document.this.source_policy_documents[0], "cloudtrail.amazonaws.com")
    error_message = "Service delivery statements must be merged into the bucket policy."
  }
}

run "no_object_lock_by_default" {
  command = plan

  assert {
    condition     = aws_s3_bucket.this.object_lock_enabled == false && length(aws_s3_bucket_object_lock_configuration.this) == 0
    error_message = "Object lock is opt-in: it cannot be undone on a bucket."
  }
}

run "glacier_before_ia_refused" {
  command = plan

  variables {
    transition_to_ia_days      = 60
    transition_to_glacier_days = 30
  }

  expect_failures = [aws_s3_bucket.this]
}

run "object_lock_mode_checked" {
  command = plan

  variables {
    object_lock = { mode = "LEGAL_HOLD", days = 30 }
  }

  expect_failures = [var.object_lock]
}

run "state_history_rules" {
  command = plan

  variables {
    noncurrent_versions_to_keep = 20
    expire_delete_markers       = true
    logging_target_bucket       = "chatbot-test-logs-111122223333"
    logging_target_prefix       = "s3-access/tfstate/"
    attach_policy               = false
  }

  assert {
    condition = (
      one(one(aws_s3_bucket_lifecycle_configuration.this.rule).noncurrent_version_expiration).newer_noncurrent_versions == 20 &&
      one(one(aws_s3_bucket_lifecycle_configuration.this.rule).expiration).expired_object_delete_marker
    )
    error_message = "The newest replaced versions must be kept regardless of age and delete markers that hide nothing removed."
  }

  assert {
    condition     = aws_s3_bucket_logging.this[0].target_prefix == "s3-access/tfstate/"
    error_message = "A given log prefix replaces the default one."
  }

  assert {
    condition     = length(aws_s3_bucket_policy.this) == 0
    error_message = "attach_policy = false must leave the policy unattached."
  }
}

run "policy_attached_by_default" {
  command = plan

  assert {
    condition     = length(aws_s3_bucket_policy.this) == 1
    error_message = "The bucket policy must be attached unless attach_policy is false."
  }
}

run "delete_markers_and_expiration_refused" {
  command = plan

  variables {
    expire_delete_markers = true
    expiration_days       = 30
  }

  expect_failures = [var.expire_delete_markers]
}
