# Plan-time assertions with a mocked provider: the policies deny what they claim, stay under
# the SCP size limit and are attached where the caller asks.

mock_provider "aws" {}

variables {
  name                     = "chatbot-management"
  approved_regions         = ["eu-west-1", "eu-central-1"]
  log_archive_bucket_names = ["chatbot-log-archive-cloudtrail", "chatbot-log-archive-config"]
  targets = {
    deny_leave_organization   = { root = "r-ab12" }
    protect_security_services = { root = "r-ab12" }
    region_restriction        = { security = "ou-ab12-11111111", workloads = "ou-ab12-22222222" }
    deny_root_user            = { security = "ou-ab12-11111111" }
    protect_platform          = { root = "r-ab12" }
    deny_iam_users            = { workloads = "ou-ab12-22222222" }
    deny_all                  = { suspended = "ou-ab12-44444444" }
    sandbox_cost              = { sandbox = "ou-ab12-33333333" }
  }
}

run "every_policy_is_under_the_scp_size_limit" {
  command = plan

  assert {
    condition     = length(aws_organizations_policy.this) == 8
    error_message = "Eight SCPs are expected."
  }

  assert {
    condition     = alltrue([for k, p in aws_organizations_policy.this : length(p.content) <= 5120])
    error_message = "Every rendered SCP must be at most 5,120 characters."
  }

  assert {
    condition     = alltrue([for k, p in aws_organizations_policy.this : p.content == jsonencode(jsondecode(p.content)) && !strcontains(p.content, "\n")])
    error_message = "SCP documents must be minified JSON."
  }

  assert {
    condition     = alltrue([for k, p in aws_organizations_policy.this : p.type == "SERVICE_CONTROL_POLICY" && startswith(p.name, "chatbot-management-")])
    error_message = "Policies must be SCPs named <name>-<purpose>."
  }

  assert {
    condition     = alltrue([for k, p in aws_organizations_policy.this : alltrue([for s in jsondecode(p.content).Statement : s.Effect == "Deny"])])
    error_message = "Guardrail SCPs must only contain Deny statements (FullAWSAccess grants)."
  }
}

run "deny_leave_organization" {
  command = plan

  assert {
    condition     = contains(jsondecode(aws_organizations_policy.this["deny_leave_organization"].content).Statement[0].Action, "organizations:LeaveOrganization")
    error_message = "The policy must deny organizations:LeaveOrganization."
  }

  assert {
    condition     = !can(jsondecode(aws_organizations_policy.this["deny_leave_organization"].content).Statement[0].Condition)
    error_message = "Leaving the organization must be denied unconditionally."
  }
}

run "protect_security_services" {
  command = plan

  assert {
    condition = alltrue([for a in ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "guardduty:DeleteDetector", "config:StopConfigurationRecorder",
      "config:DeleteConfigurationRecorder", "securityhub:DisableSecurityHub", "access-analyzer:DeleteAnalyzer"] :
    contains(flatten([for s in jsondecode(aws_organizations_policy.this["protect_security_services"].content).Statement : s.Action]), a)])
    error_message = "Disabling CloudTrail, GuardDuty, Config, Security Hub or Access Analyzer must be denied."
  }

  assert {
    condition = alltrue([for s in jsondecode(aws_organizations_policy.this["protect_security_services"].content).Statement :
    contains(s.Condition.ArnNotLike["aws:PrincipalARN"], "arn:aws:iam::*:role/OrganizationAccountAccessRole")])
    error_message = "Only the exempt automation role may change security services."
  }
}

run "region_restriction" {
  command = plan

  assert {
    condition     = jsondecode(aws_organizations_policy.this["region_restriction"].content).Statement[0].Condition.StringNotEquals["aws:RequestedRegion"] == ["eu-west-1", "eu-central-1"]
    error_message = "Actions must be denied outside the approved regions."
  }

  assert {
    condition = alltrue([for a in ["iam:*", "sts:*", "organizations:*", "route53:*", "cloudfront:*", "support:*", "sso:*"] :
    contains(jsondecode(aws_organizations_policy.this["region_restriction"].content).Statement[0].NotAction, a)])
    error_message = "Global services must be exempt from the region restriction."
  }

  assert {
    condition     = !contains(jsondecode(aws_organizations_policy.this["region_restriction"].content).Statement[0].NotAction, "ec2:*")
    error_message = "Regional services such as EC2 must not be exempt."
  }
}

run "deny_root_user" {
  command = plan

  assert {
    condition     = jsondecode(aws_organizations_policy.this["deny_root_user"].content).Statement[0].Action == ["*"]
    error_message = "The root user must be denied every action."
  }

  assert {
    condition     = jsondecode(aws_organizations_policy.this["deny_root_user"].content).Statement[0].Condition.ArnLike["aws:PrincipalARN"] == ["arn:aws:iam::*:root"]
    error_message = "The root deny must match only the root principal."
  }
}

run "protect_platform_roles_and_log_buckets" {
  command = plan

  assert {
    condition     = contains(jsondecode(aws_organizations_policy.this["protect_platform"].content).Statement[0].Resource, "arn:aws:iam::*:role/OrganizationAccountAccessRole")
    error_message = "The organization access role must be protected."
  }

  assert {
    condition = alltrue([for a in ["iam:DeleteRole", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy"] :
    contains(jsondecode(aws_organizations_policy.this["protect_platform"].content).Statement[0].Action, a)])
    error_message = "Deleting or re-trusting platform roles must be denied."
  }

  assert {
    condition = jsondecode(aws_organizations_policy.this["protect_platform"].content).Statement[1].Resource == [
      "arn:aws:s3:::chatbot-log-archive-cloudtrail", "arn:aws:s3:::chatbot-log-archive-cloudtrail/*",
      "arn:aws:s3:::chatbot-log-archive-config", "arn:aws:s3:::chatbot-log-archive-config/*",
    ]
    error_message = "Both log archive buckets and their objects must be protected."
  }

  assert {
    condition = alltrue([for a in ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:PutLifecycleConfiguration", "s3:DeleteObject"] :
    contains(jsondecode(aws_organizations_policy.this["protect_platform"].content).Statement[1].Action, a)])
    error_message = "Deleting log buckets, objects or changing their policy and lifecycle must be denied."
  }
}

run "identity_center_roles_are_matched_on_their_path" {
  command = plan

  assert {
    condition     = contains(jsondecode(aws_organizations_policy.this["protect_platform"].content).Statement[0].Resource, "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_*")
    error_message = "IAM Identity Center roles are arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/[<region>/]AWSReservedSSO_<set>_<id>: the protected pattern must include that path."
  }

  assert {
    condition     = !contains(jsondecode(aws_organizations_policy.this["protect_platform"].content).Statement[0].Resource, "arn:aws:iam::*:role/AWSReservedSSO_*")
    error_message = "role/AWSReservedSSO_* matches no Identity Center role (they all have a path)."
  }
}

run "rejects_an_identity_center_pattern_without_its_path" {
  command = plan

  variables {
    platform_role_name_patterns = ["OrganizationAccountAccessRole", "AWSReservedSSO_*"]
  }

  expect_failures = [var.platform_role_name_patterns]
}

run "global_services_are_named_with_their_service_prefix" {
  command = plan

  assert {
    condition = alltrue([for a in ["route53-recovery-cluster:*", "route53-recovery-control-config:*", "route53-recovery-readiness:*"] :
    contains(jsondecode(aws_organizations_policy.this["region_restriction"].content).Statement[0].NotAction, a)])
    error_message = "Route 53 Application Recovery Controller has three service prefixes; each must be listed as <prefix>:*."
  }

  assert {
    condition = alltrue([for s in jsondecode(aws_organizations_policy.this["region_restriction"].content).Statement :
    alltrue([for a in s.NotAction : can(regex("^([a-z0-9-]+:[A-Za-z0-9*]+|\\*)$", a))])])
    error_message = "Every action needs a service prefix (service:Action); AWS rejects an SCP with a bare pattern such as route53-recovery-*."
  }
}

run "deny_iam_users_and_sandbox_costs" {
  command = plan

  assert {
    condition = alltrue([for a in ["iam:CreateUser", "iam:CreateAccessKey"] :
    contains(jsondecode(aws_organizations_policy.this["deny_iam_users"].content).Statement[0].Action, a)])
    error_message = "Creating IAM users and access keys must be denied."
  }

  assert {
    condition     = contains(jsondecode(aws_organizations_policy.this["sandbox_cost"].content).Statement[0].Action, "ec2:RunInstances")
    error_message = "Launching instances must be covered by the sandbox cost guardrail."
  }

  assert {
    condition = alltrue([for t in ["p*", "*.24xlarge", "*.metal*"] :
    contains(jsondecode(aws_organizations_policy.this["sandbox_cost"].content).Statement[0].Condition.StringLike["ec2:InstanceType"], t)])
    error_message = "Large and accelerated instance families must be denied in sandbox."
  }
}

run "suspended_accounts_are_frozen" {
  command = plan

  assert {
    condition     = jsondecode(aws_organizations_policy.this["deny_all"].content).Statement[0].Action == ["*"] && aws_organizations_policy_attachment.this["deny_all/suspended"].target_id == "ou-ab12-44444444"
    error_message = "The deny-all policy must deny every action and be attached to the Suspended OU."
  }
}

run "attachments_follow_targets" {
  command = plan

  assert {
    condition     = length(aws_organizations_policy_attachment.this) == 9
    error_message = "One attachment per policy and target is expected."
  }

  assert {
    condition     = aws_organizations_policy_attachment.this["sandbox_cost/sandbox"].target_id == "ou-ab12-33333333"
    error_message = "The sandbox cost policy must be attached to the sandbox OU."
  }

  assert {
    condition     = aws_organizations_policy_attachment.this["deny_iam_users/workloads"].target_id == "ou-ab12-22222222"
    error_message = "The IAM user deny must be attached to the workloads OU."
  }

  assert {
    condition     = !contains(keys(aws_organizations_policy_attachment.this), "sandbox_cost/root")
    error_message = "The sandbox cost policy must not be attached at the root."
  }
}

run "many_regions_still_fit" {
  command = plan

  variables {
    approved_regions = ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "us-east-1", "us-east-2", "us-west-1", "us-west-2"]
  }

  assert {
    condition     = length(aws_organizations_policy.this["region_restriction"].content) <= 5120
    error_message = "The region policy must fit even with twelve approved regions."
  }
}

run "rejects_unknown_policy_key" {
  command = plan

  variables {
    targets = { deny_everything = { root = "r-ab12" } }
  }

  expect_failures = [var.targets]
}

run "rejects_malformed_target_id" {
  command = plan

  variables {
    targets = { sandbox_cost = { sandbox = "sandbox" } }
  }

  expect_failures = [aws_organizations_policy_attachment.this["sandbox_cost/sandbox"]]
}
