# Service control policies for the organisation. Each document is written as HCL below and
# rendered with jsonencode(), which emits minified JSON: the SCP size limit (5,120 characters)
# counts every character, so no pretty-printing is sent to AWS. tests/scp.tftest.hcl asserts
# the statements, conditions, attachments and sizes.

locals {
  exempt = {
    ArnNotLike = { "aws:PrincipalARN" = var.exempt_principal_arn_patterns }
  }

  log_bucket_arns = flatten([for b in var.log_archive_bucket_names : ["arn:aws:s3:::${b}", "arn:aws:s3:::${b}/*"]])

  documents = {
    # Accounts stay under the organisation's guardrails: leaving would drop every SCP.
    deny_leave_organization = {
      Version = "2012-10-17"
      Statement = [{
        Sid      = "DenyLeaveOrganization"
        Effect   = "Deny"
        Action   = ["organizations:LeaveOrganization"]
        Resource = "*"
      }]
    }

    # Nobody but the exempt automation/break-glass roles may switch off or alter detective controls.
    protect_security_services = {
      Version = "2012-10-17"
      Statement = [
        {
          Sid    = "DenyCloudTrailChanges"
          Effect = "Deny"
          Action = [
            "cloudtrail:DeleteTrail", "cloudtrail:StopLogging", "cloudtrail:UpdateTrail",
            "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors", "cloudtrail:DeleteEventDataStore",
          ]
          Resource  = "*"
          Condition = local.exempt
        },
        {
          Sid    = "DenyGuardDutyChanges"
          Effect = "Deny"
          Action = [
            "guardduty:DeleteDetector", "guardduty:UpdateDetector", "guardduty:DisassociateFromMasterAccount",
            "guardduty:DisassociateFromAdministratorAccount", "guardduty:DeleteMembers", "guardduty:DisassociateMembers",
            "guardduty:StopMonitoringMembers", "guardduty:CreateIPSet", "guardduty:UpdateIPSet", "guardduty:DeletePublishingDestination",
            "guardduty:UpdateMalwareScanSettings",
          ]
          Resource  = "*"
          Condition = local.exempt
        },
        {
          Sid    = "DenyConfigChanges"
          Effect = "Deny"
          Action = [
            "config:DeleteConfigurationRecorder", "config:StopConfigurationRecorder", "config:PutConfigurationRecorder",
            "config:DeleteDeliveryChannel", "config:PutDeliveryChannel", "config:DeleteConfigurationAggregator",
            "config:DeleteAggregationAuthorization", "config:DeleteRetentionConfiguration",
          ]
          Resource  = "*"
          Condition = local.exempt
        },
        {
          Sid    = "DenySecurityHubChanges"
          Effect = "Deny"
          Action = [
            "securityhub:DisableSecurityHub", "securityhub:DisassociateFromMasterAccount", "securityhub:DisassociateFromAdministratorAccount",
            "securityhub:DeleteMembers", "securityhub:DisassociateMembers", "securityhub:BatchDisableStandards",
            "securityhub:UpdateStandardsControl", "securityhub:DisableImportFindingsForProduct",
          ]
          Resource  = "*"
          Condition = local.exempt
        },
        {
          Sid       = "DenyAccessAnalyzerChanges"
          Effect    = "Deny"
          Action    = ["access-analyzer:DeleteAnalyzer", "access-analyzer:CreateArchiveRule", "access-analyzer:UpdateArchiveRule", "access-analyzer:DeleteArchiveRule"]
          Resource  = "*"
          Condition = local.exempt
        },
      ]
    }

    # Regional services only in approved regions. NotAction exempts global services whose
    # API endpoints live in us-east-1 (or another fixed region) so they keep working.
    region_restriction = {
      Version = "2012-10-17"
      Statement = [{
        Sid    = "DenyOutsideApprovedRegions"
        Effect = "Deny"
        NotAction = [
          "a4b:*", "account:*", "acm:*", "aws-marketplace:*", "aws-portal:*", "billing:*", "budgets:*", "ce:*",
          "chatbot:*", "cloudfront:*", "config:*", "cur:*", "directconnect:*", "ec2:DescribeRegions",
          "ec2:DescribeTransitGateways", "ec2:DescribeVpnGateways", "fms:*", "globalaccelerator:*", "health:*",
          "iam:*", "importexport:*", "invoicing:*", "kms:*", "networkmanager:*", "organizations:*", "payments:*",
          "pricing:*", "route53:*", "route53domains:*", "route53-recovery-cluster:*", "route53-recovery-control-config:*",
          "route53-recovery-readiness:*", "s3:GetAccountPublic*", "s3:ListAllMyBuckets",
          "s3:ListMultiRegionAccessPoints", "s3:PutAccountPublic*", "shield:*", "sso:*", "sso-directory:*",
          "identitystore:*", "sts:*", "support:*", "supportplans:*", "tax:*", "trustedadvisor:*", "waf:*",
          "waf-regional:*", "wafv2:*", "wellarchitected:*",
        ]
        Resource = "*"
        Condition = merge(local.exempt, {
          StringNotEquals = { "aws:RequestedRegion" = var.approved_regions }
        })
      }]
    }

    # The root user of a member account is for break-glass recovery via the management
    # account only; day-to-day it must do nothing.
    deny_root_user = {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "DenyRootUser"
        Effect    = "Deny"
        Action    = ["*"]
        Resource  = "*"
        Condition = { ArnLike = { "aws:PrincipalARN" = ["arn:aws:iam::*:root"] } }
      }]
    }

    # The roles the platform runs on and the central log buckets are off limits to account admins. Role
    # patterns are matched against the role's ARN after role/, so they include the role's path (IAM
    # Identity Center's roles live under aws-reserved/sso.amazonaws.com/[<region>/]).
    protect_platform = {
      Version = "2012-10-17"
      Statement = [
        {
          Sid    = "ProtectPlatformRoles"
          Effect = "Deny"
          Action = [
            "iam:AttachRolePolicy", "iam:DeleteRole", "iam:DeleteRolePermissionsBoundary", "iam:DeleteRolePolicy",
            "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy",
            "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:TagRole", "iam:UntagRole",
          ]
          Resource  = [for p in var.platform_role_name_patterns : "arn:aws:iam::*:role/${p}"]
          Condition = local.exempt
        },
        {
          Sid    = "ProtectLogArchiveBuckets"
          Effect = "Deny"
          Action = [
            "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketPolicy", "s3:PutLifecycleConfiguration",
            "s3:PutBucketObjectLockConfiguration", "s3:PutBucketVersioning", "s3:PutEncryptionConfiguration",
            "s3:PutBucketAcl", "s3:PutBucketPublicAccessBlock", "s3:PutBucketOwnershipControls",
            "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectRetention", "s3:PutObjectLegalHold",
            "s3:BypassGovernanceRetention",
          ]
          Resource  = local.log_bucket_arns
          Condition = local.exempt
        },
      ]
    }

    # Humans come in through IAM Identity Center and workloads through roles: no long-lived keys.
    deny_iam_users = {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "DenyIamUsersAndAccessKeys"
        Effect    = "Deny"
        Action    = ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"]
        Resource  = "*"
        Condition = local.exempt
      }]
    }

    # Suspended OU: accounts waiting to be closed can do nothing at all.
    deny_all = {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "DenyAllSuspended"
        Effect    = "Deny"
        Action    = ["*"]
        Resource  = "*"
        Condition = local.exempt
      }]
    }

    # Sandbox accounts are for experiments: no large or accelerated instances, no reserved capacity.
    sandbox_cost = {
      Version = "2012-10-17"
      Statement = [
        {
          Sid       = "DenyLargeInstanceTypes"
          Effect    = "Deny"
          Action    = ["ec2:RunInstances", "ec2:StartInstances", "ec2:ModifyInstanceAttribute"]
          Resource  = "arn:aws:ec2:*:*:instance/*"
          Condition = { StringLike = { "ec2:InstanceType" = var.sandbox_denied_instance_types } }
        },
        {
          Sid    = "DenyLongTermCommitments"
          Effect = "Deny"
          Action = [
            "ec2:PurchaseReservedInstancesOffering", "ec2:PurchaseHostReservation", "ec2:AllocateHosts",
            "rds:PurchaseReservedDBInstancesOffering", "savingsplans:CreateSavingsPlan",
          ]
          Resource = "*"
        },
      ]
    }
  }

  descriptions = {
    deny_leave_organization   = "Deny leaving the organization."
    protect_security_services = "Deny disabling or changing CloudTrail, GuardDuty, Config, Security Hub and Access Analyzer."
    region_restriction        = "Deny regional actions outside the approved regions; global services exempt."
    deny_root_user            = "Deny every action by the root user of member accounts."
    protect_platform          = "Deny changes to the platform roles and the log archive buckets."
    deny_iam_users            = "Deny IAM users, login profiles and access keys in workload accounts."
    deny_all                  = "Deny everything but the exempt roles (Suspended OU)."
    sandbox_cost              = "Deny large and accelerated instance types and long-term commitments in sandbox."
  }

  rendered = { for k, doc in local.documents : k => jsonencode(doc) }

  attachments = merge([
    for key, targets in var.targets : { for label, id in targets : "${key}/${label}" => { policy = key, target = id } }
  ]...)
}

resource "aws_organizations_policy" "this" {
  for_each = local.rendered

  name        = "${var.name}-${replace(each.key, "_", "-")}"
  description = local.descriptions[each.key]
  type        = "SERVICE_CONTROL_POLICY"
  content     = each.value
  tags        = var.tags

  lifecycle {
    precondition {
      condition     = length(each.value) <= 5120
      error_message = "SCP ${each.key} renders to ${length(each.value)} characters; the AWS limit is 5,120."
    }
  }
}

resource "aws_organizations_policy_attachment" "this" {
  for_each = local.attachments

  policy_id = aws_organizations_policy.this[each.value.policy].id
  target_id = each.value.target

  lifecycle {
    precondition {
      condition     = can(regex("^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|[0-9]{12})$", each.value.target))
      error_message = "SCP target ${each.key} must be a root id (r-...), an OU id (ou-...) or a 12-digit account id, got '${each.value.target}'."
    }
  }
}
