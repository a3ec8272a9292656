# Stack wiring with one mocked provider (each run costs little): the account is reached through the
# role the inventory names, Config records daily only where asked, the provider must land in the
# account the state belongs to, and listed accounts adopt their existing baseline through imports.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "444444444444" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  name                  = "chatbot"
  environment           = "management"
  region                = "eu-west-1"
  account_key           = "prod"
  account_id            = "444444444444"
  management_account_id = "111111111111"
  config_bucket_name    = "chatbot-example-org-config"
  config_kms_key_arn    = "arn:aws:kms:eu-west-1:666666666666:key/logs"
}

run "a_member_account_gets_the_baseline_through_its_role" {
  command = apply

  assert {
    condition     = local.assume_role_arn == "arn:aws:iam::444444444444:role/OrganizationAccountAccessRole"
    error_message = "Member accounts are reached through OrganizationAccountAccessRole."
  }

  assert {
    condition     = output.account_id == "444444444444" && output.config_recorder_name == "default" && output.config_recording_frequency == "CONTINUOUS"
    error_message = "The baseline lands in the account of this state and records continuously."
  }

  assert {
    condition     = module.baseline.config_role_arn == local.config_role_arn
    error_message = "The imported service-linked role ARN must be the one the module's recorder uses."
  }

  assert {
    condition     = local.tags["platform:account"] == "prod" && local.tags["platform:stack"] == "account_baseline"
    error_message = "Resources are tagged with the account key."
  }
}

run "the_management_account_uses_the_callers_credentials_and_sandbox_records_daily" {
  command = plan

  variables {
    account_key = "sandbox"
    account_id  = "111111111111"
  }

  override_data {
    target = data.aws_caller_identity.current
    values = { account_id = "111111111111" }
  }

  assert {
    condition     = local.assume_role_arn == null && local.recording_frequency == "DAILY"
    error_message = "The management account is not reached through a role; sandbox (config_daily_accounts) records daily."
  }
}

run "listed_accounts_adopt_their_existing_baseline" {
  command = plan

  variables {
    import_accounts = ["prod"]
  }

  assert {
    condition     = local.adopt && local.config_role_arn == "arn:aws:iam::444444444444:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
    error_message = "prod is listed in import_accounts: its baseline is imported with the service-linked role's fixed ARN."
  }
}

run "a_provider_in_another_account_stops_the_run" {
  command = plan

  variables {
    account_id = "222222222222"
  }

  expect_failures = [data.aws_caller_identity.current]
}

run "account_ids_are_checked" {
  command = plan

  variables {
    account_id         = "prod"
    config_kms_key_arn = "alias/logs"
  }

  expect_failures = [var.account_id, var.config_kms_key_arn]
}
