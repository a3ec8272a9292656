# Plan-time assertions with a mocked provider: organisation features, OU tree, account
# placement and delegated administrators.

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
}

# Distinct ids for the OUs the assertions tell apart.
override_resource {
  target = aws_organizations_organizational_unit.top["workloads"]
  values = { id = "ou-ab12-11111111" }
}

override_resource {
  target = aws_organizations_organizational_unit.top["security"]
  values = { id = "ou-ab12-22222222" }
}

override_resource {
  target = aws_organizations_organizational_unit.child["prod"]
  values = { id = "ou-ab12-33333333" }
}

override_resource {
  target = aws_organizations_organizational_unit.child["nonprod"]
  values = { id = "ou-ab12-44444444" }
}

variables {
  tags = { Project = "chatbot" }
  accounts = {
    security    = { name = "chatbot-security", email = "aws+security@example.com", ou = "security" }
    log_archive = { name = "chatbot-log-archive", email = "aws+log-archive@example.com", ou = "security" }
    shared      = { name = "chatbot-shared-services", email = "aws+shared@example.com", ou = "infrastructure" }
    sandbox     = { name = "chatbot-sandbox", email = "aws+sandbox@example.com", ou = "sandbox" }
    dev         = { name = "chatbot-dev", email = "aws+dev@example.com", ou = "nonprod" }
    staging     = { name = "chatbot-staging", email = "aws+staging@example.com", ou = "nonprod" }
    prod        = { name = "chatbot-prod", email = "aws+prod@example.com", ou = "prod", tags = { DataClass = "confidential" } }
  }
  delegated_administrators = {
    "access-analyzer.amazonaws.com"          = "security"
    "config.amazonaws.com"                   = "security"
    "config-multiaccountsetup.amazonaws.com" = "security"
  }
  security_admin_account = "security"
}

run "organization_has_all_features_and_trusted_access" {
  command = plan

  assert {
    condition     = aws_organizations_organization.this.feature_set == "ALL"
    error_message = "SCPs need the ALL feature set."
  }

  assert {
    condition     = contains(aws_organizations_organization.this.enabled_policy_types, "SERVICE_CONTROL_POLICY")
    error_message = "SCPs must be enabled at the root."
  }

  assert {
    condition = alltrue([for p in ["cloudtrail.amazonaws.com", "guardduty.amazonaws.com", "securityhub.amazonaws.com", "config.amazonaws.com", "access-analyzer.amazonaws.com", "sso.amazonaws.com"] :
    contains(aws_organizations_organization.this.aws_service_access_principals, p)])
    error_message = "The security services and Identity Center need trusted access."
  }
}

run "ou_structure" {
  command = apply

  assert {
    condition     = toset([for ou in aws_organizations_organizational_unit.top : ou.name]) == toset(["Security", "Infrastructure", "Workloads", "Sandbox", "Suspended"])
    error_message = "Top-level OUs must be Security, Infrastructure, Workloads, Sandbox and Suspended."
  }

  assert {
    condition     = alltrue([for ou in aws_organizations_organizational_unit.top : ou.parent_id == "r-ab12"])
    error_message = "Top-level OUs must hang off the organization root."
  }

  assert {
    condition     = toset([for ou in aws_organizations_organizational_unit.child : ou.name]) == toset(["Prod", "NonProd"])
    error_message = "Workloads must have the Prod and NonProd children."
  }

  assert {
    condition     = alltrue([for ou in aws_organizations_organizational_unit.child : ou.parent_id == "ou-ab12-11111111"])
    error_message = "Prod and NonProd must be children of Workloads."
  }

  assert {
    condition     = output.root_id == "r-ab12" && length(output.ou_ids) == 7
    error_message = "The root id and all seven OU ids must be exported."
  }
}

run "accounts_land_in_their_ous" {
  command = apply

  assert {
    condition     = aws_organizations_account.this["prod"].parent_id == "ou-ab12-33333333"
    error_message = "The prod account must be in the Prod OU."
  }

  assert {
    condition     = aws_organizations_account.this["dev"].parent_id == "ou-ab12-44444444"
    error_message = "The dev account must be in the NonProd OU."
  }

  assert {
    condition     = aws_organizations_account.this["log_archive"].parent_id == "ou-ab12-22222222"
    error_message = "The log archive account must be in the Security OU."
  }

  assert {
    condition     = aws_organizations_account.this["prod"].tags["DataClass"] == "confidential" && aws_organizations_account.this["prod"].tags["Project"] == "chatbot"
    error_message = "Account tags must merge the common tags with the account's own."
  }

  assert {
    condition     = alltrue([for a in aws_organizations_account.this : a.close_on_deletion == false && a.iam_user_access_to_billing == "DENY" && a.role_name == "OrganizationAccountAccessRole"])
    error_message = "Accounts must default to no closing on removal, no IAM billing access and the standard access role."
  }
}

run "delegated_administrators" {
  command = plan

  assert {
    condition     = length(aws_organizations_delegated_administrator.this) == 3
    error_message = "Access Analyzer and Config must be delegated."
  }

  assert {
    condition     = length(aws_guardduty_organization_admin_account.this) == 1 && length(aws_securityhub_organization_admin_account.this) == 1
    error_message = "GuardDuty and Security Hub must be delegated to the security account."
  }
}

run "no_security_admin_when_disabled" {
  command = plan

  variables {
    security_admin_account = null
  }

  assert {
    condition     = length(aws_guardduty_organization_admin_account.this) == 0 && length(aws_securityhub_organization_admin_account.this) == 0
    error_message = "security_admin_account = null must skip the GuardDuty and Security Hub delegation."
  }
}

run "rejects_duplicate_emails" {
  command = plan

  variables {
    accounts = {
      a = { name = "a", email = "aws@example.com", ou = "sandbox" }
      b = { name = "b", email = "AWS@example.com", ou = "sandbox" }
    }
    delegated_administrators = {}
    security_admin_account   = null
  }

  expect_failures = [var.accounts]
}

run "rejects_guardduty_in_delegated_administrators" {
  command = plan

  variables {
    delegated_administrators = { "guardduty.amazonaws.com" = "security" }
  }

  expect_failures = [var.delegated_administrators]
}

run "rejects_three_level_ou_tree" {
  command = plan

  variables {
    organizational_units = {
      a = { name = "A" }
      b = { name = "B", parent = "a" }
      c = { name = "C", parent = "b" }
    }
    accounts                 = {}
    delegated_administrators = {}
    security_admin_account   = null
  }

  expect_failures = [var.organizational_units]
}
