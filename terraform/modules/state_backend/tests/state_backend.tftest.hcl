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

# The bucket's and the key's own settings (versioning, public access block, TLS-only policy, lifecycle,
# rotation) are asserted by modules/bucket and modules/kms_key tests; these runs cover what this module
# adds: the key and bucket it pairs, the state-write policy and the backend settings.

run "state_key_pairs_with_the_bucket" {
  command = plan

  assert {
    condition     = output.kms_alias_name == "alias/chatbot-test-tfstate" && output.bucket_name == "chatbot-test-tfstate"
    error_message = "The key alias must follow the bucket name."
  }

  assert {
    condition     = output.backend_config.kms_key_id == output.kms_key_arn && output.backend_config.encrypt && output.backend_config.use_lockfile
    error_message = "The backend settings must name the state key and lock with S3 conditional writes."
  }

  assert {
    condition     = length(data.aws_iam_policy_document.key_administrators) == 0
    error_message = "Without named administrators the key policy is the account root's alone."
  }
}

run "named_key_administrators" {
  command = plan

  variables {
    kms_key_administrator_arns = ["arn:aws:iam::111122223333:role/platform-admin"]
  }

  assert {
    condition = anytrue([
      for st in data.aws_iam_policy_document.key_administrators[0].statement :
      contains(st.actions, "kms:ScheduleKeyDeletion") && !contains(st.actions, "kms:Decrypt") && one(st.principals).identifiers == toset(["arn:aws:iam::111122223333:role/platform-admin"])
    ])
    error_message = "Named administrators may administer the key but not use it."
  }
}

run "state_writes_only_on_the_state_key" {
  command = plan

  assert {
    condition = anytrue([
      for st in data.aws_iam_policy_document.state_writes.statement :
      st.effect == "Deny" && st.actions == toset(["s3:PutObject"]) && anytrue([
        for c in st.condition : c.test == "StringNotEqualsIfExists" && c.variable == "s3:x-amz-server-side-encryption" && c.values == tolist(["aws:kms"])
      ])
    ])
    error_message = "A state write that names SSE-S3 (what the S3 backend sends without kms_key_id) must be denied."
  }

  assert {
    condition = anytrue([
      for st in data.aws_iam_policy_document.state_writes.statement :
      st.effect == "Deny" && st.actions == toset(["s3:PutObject"]) && anytrue([
        for c in st.condition : c.test == "ArnNotEqualsIfExists" && c.variable == "s3:x-amz-server-side-encryption-aws-kms-key-id" && c.values == tolist([output.kms_key_arn])
      ])
    ])
    error_message = "A state write that names another KMS key than the state key must be denied."
  }

  assert {
    condition = anytrue([
      for st in data.aws_iam_policy_document.state_writes.statement :
      st.effect == "Deny" && length([for c in st.condition : c if c.test == "Null" && c.variable == "s3:x-amz-server-side-encryption-aws-kms-key-id" && c.values == tolist(["true"])]) == 1
      && length([for c in st.condition : c if c.test == "StringEquals" && c.variable == "s3:x-amz-server-side-encryption" && c.values == tolist(["aws:kms"])]) == 1
    ])
    error_message = "SSE-KMS without a key id (the AWS managed aws/s3 key) must be denied."
  }

  assert {
    condition = anytrue([
      for st in data.aws_iam_policy_document.state_writes.statement :
      st.effect == "Deny" && anytrue([for c in st.condition : c.test == "Null" && c.variable == "s3:x-amz-server-side-encryption-customer-algorithm" && c.values == tolist(["false"])])
    ])
    error_message = "State writes with customer-provided keys (SSE-C) must be denied."
  }

  assert {
    condition     = output.backend_config.kms_key_id == output.kms_key_arn && output.backend_config.encrypt
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
