# Plan-time assertions with a mocked provider: permission sets, their policies, session
# limits and the group-to-account assignments.

mock_provider "aws" {
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

  mock_resource "aws_identitystore_group" {
    defaults = {
      group_id = "11111111-2222-3333-4444-555555555555"
    }
  }
}

variables {
  create_groups = true
  groups = {
    platform   = { display_name = "platform-admins" }
    developers = { display_name = "developers" }
    security   = { display_name = "security" }
  }
  account_ids = {
    dev     = "333333333333"
    staging = "444444444444"
    prod    = "555555555555"
  }
  assignments = [
    { group = "developers", permission_set = "Developer", accounts = ["dev", "staging"] },
    { group = "developers", permission_set = "DeveloperReadOnly", accounts = ["prod"] },
    { group = "platform", permission_set = "PlatformAdmin", accounts = ["dev", "staging", "prod"] },
    { group = "security", permission_set = "SecurityAudit", accounts = ["dev", "staging", "prod"] },
  ]
}

run "standard_permission_sets_and_session_limits" {
  command = plan

  assert {
    condition     = toset(keys(aws_ssoadmin_permission_set.this)) == toset(["PlatformAdmin", "Developer", "DeveloperReadOnly", "ReadOnly", "SecurityAudit", "BillingViewer", "BreakGlass"])
    error_message = "All seven standard permission sets must exist."
  }

  assert {
    condition     = aws_ssoadmin_permission_set.this["BreakGlass"].session_duration == "PT1H"
    error_message = "Break-glass sessions must last at most one hour."
  }

  assert {
    condition     = aws_ssoadmin_permission_set.this["PlatformAdmin"].session_duration == "PT4H" && aws_ssoadmin_permission_set.this["DeveloperReadOnly"].session_duration == "PT4H"
    error_message = "Admin and prod sessions must last at most four hours."
  }

  assert {
    condition     = aws_ssoadmin_permission_set.this["Developer"].session_duration == "PT8H" && aws_ssoadmin_permission_set.this["ReadOnly"].session_duration == "PT8H"
    error_message = "Working-day sessions must last eight hours."
  }

  assert {
    condition     = aws_ssoadmin_permission_set.this["Developer"].instance_arn == "arn:aws:sso:::instance/ssoins-1111111111111111"
    error_message = "Permission sets must be created in the looked-up instance."
  }
}

run "managed_inline_and_boundary_policies" {
  command = plan

  assert {
    condition     = aws_ssoadmin_managed_policy_attachment.this["Developer/arn:aws:iam::aws:policy/PowerUserAccess"].managed_policy_arn == "arn:aws:iam::aws:policy/PowerUserAccess"
    error_message = "Developer must be based on PowerUserAccess."
  }

  assert {
    condition     = aws_ssoadmin_managed_policy_attachment.this["DeveloperReadOnly/arn:aws:iam::aws:policy/ReadOnlyAccess"].managed_policy_arn == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    error_message = "DeveloperReadOnly must be based on ReadOnlyAccess."
  }

  assert {
    condition     = !contains(keys(aws_ssoadmin_managed_policy_attachment.this), "DeveloperReadOnly/arn:aws:iam::aws:policy/PowerUserAccess")
    error_message = "DeveloperReadOnly must not get write access."
  }

  assert {
    condition = alltrue([for a in ["secretsmanager:GetSecretValue", "s3:GetObject", "kms:Decrypt"] :
    contains(jsondecode(aws_ssoadmin_permission_set_inline_policy.this["DeveloperReadOnly"].inline_policy).Statement[0].Action, a)])
    error_message = "Developers must not read secrets or data in prod."
  }

  assert {
    condition     = one(aws_ssoadmin_permissions_boundary_attachment.this["DeveloperReadOnly"].permissions_boundary).managed_policy_arn == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    error_message = "DeveloperReadOnly must be bounded by ReadOnlyAccess."
  }

  assert {
    condition = alltrue([for a in ["iam:CreateUser", "iam:CreateAccessKey", "organizations:*"] :
    contains(jsondecode(aws_ssoadmin_permission_set_inline_policy.this["Developer"].inline_policy).Statement[0].Action, a)])
    error_message = "Developers must not create IAM users, keys or touch the organisation."
  }

  assert {
    condition     = contains(jsondecode(aws_ssoadmin_permission_set_inline_policy.this["Developer"].inline_policy).Statement[1].Action, "cloudtrail:*")
    error_message = "Developers must not change security tooling."
  }

  assert {
    condition     = jsondecode(aws_ssoadmin_permission_set_inline_policy.this["BreakGlass"].inline_policy).Statement[0].Condition.BoolIfExists["aws:MultiFactorAuthPresent"] == "false"
    error_message = "Break-glass must deny every action without MFA."
  }
}

run "assignments_follow_the_inventory" {
  command = plan

  assert {
    condition     = length(aws_ssoadmin_account_assignment.this) == 9
    error_message = "Nine group/permission set/account assignments are expected."
  }

  assert {
    condition     = aws_ssoadmin_account_assignment.this["developers/DeveloperReadOnly/prod"].target_id == "555555555555"
    error_message = "Developers must get DeveloperReadOnly in prod."
  }

  assert {
    condition     = !contains(keys(aws_ssoadmin_account_assignment.this), "developers/Developer/prod")
    error_message = "Developers must not get the read/write Developer set in prod."
  }

  assert {
    condition     = alltrue([for a in aws_ssoadmin_account_assignment.this : a.principal_type == "GROUP" && a.target_type == "AWS_ACCOUNT"])
    error_message = "Access must be granted to groups only, on accounts."
  }

  assert {
    condition     = aws_identitystore_group.this["developers"].display_name == "developers" && aws_identitystore_group.this["developers"].identity_store_id == "d-1111111111"
    error_message = "Groups must be created in the instance's identity store."
  }
}

run "boundaries_can_be_switched_off_for_emulators" {
  command = plan

  variables {
    enable_permissions_boundaries = false
  }

  assert {
    condition     = length(aws_ssoadmin_permissions_boundary_attachment.this) == 0
    error_message = "enable_permissions_boundaries = false must skip the boundary attachments."
  }
}

run "rejects_long_break_glass_sessions" {
  command = plan

  variables {
    session_durations = { BreakGlass = "PT8H" }
  }

  expect_failures = [var.session_durations]
}

run "rejects_assignment_to_unknown_account" {
  command = plan

  variables {
    assignments = [{ group = "developers", permission_set = "Developer", accounts = ["qa"] }]
  }

  expect_failures = [var.assignments]
}
