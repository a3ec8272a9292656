# Plan-time assertions with a mocked provider: no AWS account needed.

mock_provider "aws" {
  # Shared defaults of the data-service modules (ARNs, account, region, policy JSON).
  source = "../../testing/aws"
}

variables {
  name_prefix = "chatbot/test/"
  kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/data"
  secrets = {
    "admin-oidc" = "OIDC client"
  }
}

run "containers_only" {
  command = plan

  assert {
    condition     = aws_secretsmanager_secret.this["admin-oidc"].name == "chatbot/test/admin-oidc" && aws_secretsmanager_secret.this["admin-oidc"].kms_key_id == var.kms_key_arn
    error_message = "Secrets are <prefix><name>, encrypted with the data key."
  }

  assert {
    condition     = aws_secretsmanager_secret.this["admin-oidc"].recovery_window_in_days == 30
    error_message = "Deleted secrets stay recoverable for 30 days by default."
  }
}

run "prefix_must_be_a_path" {
  command = plan

  variables {
    name_prefix = "chatbot-test"
  }

  expect_failures = [var.name_prefix]
}
