# Stack wiring with a mocked provider: inventory keys resolve to the ids the SCPs and
# Identity Center assignments need.

mock_provider "aws" {
  mock_resource "aws_organizations_organization" {
    defaults = {
      id                = "o-abcdef1234"
      master_account_id = "111111111111"
      roots             = [{ id = "r-ab12", arn = "arn:aws:organizations::111111111111:root/o-abcdef1234/r-ab12", name = "Root", policy_types = [] }]
    }
  }

  mock_resource "aws_organizations_organizational_unit" {
    defaults = {
      id = "ou-ab12-00000000"
    }
  }

  mock_resource "aws_organizations_account" {
    defaults = {
      id = "222222222222"
    }
  }

  mock_data "aws_ssoadmin_instances" {
    defaults = {
      arns               = ["arn:aws:sso:::instance/ssoins-1111111111111111"]
      identity_store_ids = ["d-1111111111"]
    }
  }

  mock_resource "aws_ssoadmin_permission_set" {
    defaults = {
      arn = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111"
    }
  }

  mock_data "aws_identitystore_group" {
    defaults = {
      group_id = "11111111-2222-3333-4444-555555555555"
    }
  }
}

override_resource {
  target = module.organization.aws_organizations_organizational_unit.top["sandbox"]
  values = { id = "ou-ab12-55555555" }
}

variables {
  name                     = "chatbot"
  environment              = "management"
  region                   = "eu-west-1"
  approved_regions         = ["eu-west-1"]
  log_archive_bucket_names = ["chatbot-org-cloudtrail-logs"]
  accounts = {
    security = { name = "chatbot-security", email = "aws+security@example.com", ou = "security" }
    sandbox  = { name = "chatbot-sandbox", email = "aws+sandbox@example.com", ou = "sandbox" }
    prod     = { name = "chatbot-prod", email = "aws+prod@example.com", ou = "prod" }
  }
  identity_center_groups = { developers = { display_name = "developers" } }
  identity_center_assignments = [
    { group = "developers", permission_set = "DeveloperReadOnly", accounts = ["prod"] },
  ]
}

run "scp_targets_resolve_to_ids" {
  command = apply

  assert {
    condition     = module.scp[0].attachments["deny_leave_organization/root"].target == "r-ab12"
    error_message = "'root' must resolve to the organization root id."
  }

  assert {
    condition     = module.scp[0].attachments["sandbox_cost/sandbox"].target == "ou-ab12-55555555"
    error_message = "OU keys must resolve to OU ids, not to an account of the same key."
  }

  assert {
    condition     = alltrue([for k, v in output.scp_sizes : v <= 5120]) && length(output.scp_sizes) == 8
    error_message = "All eight SCPs must be created within the size limit."
  }

  assert {
    condition     = startswith(module.scp[0].policy_documents["region_restriction"], "{") && strcontains(module.scp[0].policy_documents["region_restriction"], "\"eu-west-1\"")
    error_message = "The region SCP must carry the inventory's approved regions."
  }

  assert {
    condition     = output.identity_center_assignments == tolist(["developers/DeveloperReadOnly/prod"])
    error_message = "Assignments must come from the inventory."
  }
}

run "account_targets_are_prefixed" {
  command = apply

  variables {
    scp_targets = { sandbox_cost = ["sandbox", "account:prod"] }
  }

  assert {
    condition     = module.scp[0].attachments["sandbox_cost/sandbox"].target == "ou-ab12-55555555" && module.scp[0].attachments["sandbox_cost/account-prod"].target == "222222222222"
    error_message = "OU keys and account:<key> targets must resolve separately even when names overlap."
  }
}

run "guardrails_and_sso_can_be_switched_off" {
  command = plan

  variables {
    enable_scps            = false
    enable_identity_center = false
  }

  assert {
    condition     = length(module.scp) == 0 && length(module.identity_center) == 0
    error_message = "enable_scps and enable_identity_center must switch the modules off."
  }
}
