# The security account, delegated administrator of GuardDuty, Security Hub, AWS Config and IAM
# Access Analyzer (delegated by the organization stack): organisation-wide detectors, standards,
# the Config aggregator and the analyzers.

# GuardDuty: the administrator's detector with the chosen protection plans, auto-enabled (detector
# and plans) in every current and future member account.
resource "aws_guardduty_detector" "this" {
  provider = aws.security

  enable                       = true
  finding_publishing_frequency = "FIFTEEN_MINUTES"
  tags                         = var.tags
}

resource "aws_guardduty_detector_feature" "this" {
  provider = aws.security
  for_each = var.guardduty_features

  detector_id = aws_guardduty_detector.this.id
  name        = each.key
  status      = "ENABLED"

  dynamic "additional_configuration" {
    for_each = each.value
    content {
      name   = additional_configuration.value
      status = "ENABLED"
    }
  }
}

resource "aws_guardduty_organization_configuration" "this" {
  provider = aws.security
  count    = var.enable_guardduty_organization ? 1 : 0

  detector_id                      = aws_guardduty_detector.this.id
  auto_enable_organization_members = "ALL"
}

resource "aws_guardduty_organization_configuration_feature" "this" {
  provider = aws.security
  for_each = var.enable_guardduty_organization ? var.guardduty_features : {}

  detector_id = aws_guardduty_detector.this.id
  name        = each.key
  auto_enable = "ALL"

  dynamic "additional_configuration" {
    for_each = each.value
    content {
      name        = additional_configuration.value
      auto_enable = "ALL"
    }
  }

  depends_on = [aws_guardduty_organization_configuration.this]
}

# Security Hub with central configuration: findings of the linked regions aggregate into the home
# region, and one configuration policy at the root turns Security Hub and the standards on in
# every account (new accounts included); no account can opt out locally.
resource "aws_securityhub_account" "this" {
  provider = aws.security
  count    = var.enable_securityhub ? 1 : 0

  enable_default_standards  = false
  control_finding_generator = "SECURITY_CONTROL"
  auto_enable_controls      = true
}

locals {
  securityhub_standard_arns = [for s in var.securityhub_standards : "arn:${local.partition}:securityhub:${local.region}::standards/${s}"]
}

resource "aws_securityhub_finding_aggregator" "this" {
  provider = aws.security
  count    = var.enable_securityhub_central_configuration ? 1 : 0

  linking_mode      = length(var.securityhub_linked_regions) > 0 ? "SPECIFIED_REGIONS" : "NO_REGIONS"
  specified_regions = length(var.securityhub_linked_regions) > 0 ? var.securityhub_linked_regions : null

  depends_on = [aws_securityhub_account.this]
}

resource "aws_securityhub_organization_configuration" "this" {
  provider = aws.security
  count    = var.enable_securityhub_central_configuration ? 1 : 0

  auto_enable           = false
  auto_enable_standards = "NONE"

  organization_configuration {
    configuration_type = "CENTRAL"
  }

  depends_on = [aws_securityhub_finding_aggregator.this]
}

resource "aws_securityhub_configuration_policy" "this" {
  provider = aws.security
  count    = var.enable_securityhub_central_configuration ? 1 : 0

  name        = "${var.name}-baseline"
  description = "Security Hub on with the organisation's standards in every account"

  configuration_policy {
    service_enabled       = true
    enabled_standard_arns = local.securityhub_standard_arns

    security_controls_configuration {
      disabled_control_identifiers = var.securityhub_disabled_controls
    }
  }

  depends_on = [aws_securityhub_organization_configuration.this]
}

resource "aws_securityhub_configuration_policy_association" "root" {
  provider = aws.security
  count    = var.enable_securityhub_central_configuration ? 1 : 0

  target_id = var.organization_root_id
  policy_id = aws_securityhub_configuration_policy.this[0].id
}

# AWS Config: the organisation aggregator (every account's recorder, see modules/account) in the
# delegated administrator, reading the organisation through a role with AWS's managed policy.
resource "aws_iam_role" "config_aggregator" {
  provider = aws.security

  name        = "${var.name}-config-aggregator"
  description = "AWS Config reads the organisation's accounts for the organisation aggregator"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "config.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.security_id } }
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "config_aggregator" {
  provider = aws.security

  role       = aws_iam_role.config_aggregator.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"
}

resource "aws_config_configuration_aggregator" "organization" {
  # checkov:skip=CKV_AWS_121: the aggregator covers the approved regions; the region-restriction SCP denies every other region, so there is nothing to aggregate there.
  provider = aws.security

  name = "${var.name}-organization"

  organization_aggregation_source {
    regions  = var.config_aggregator_regions
    role_arn = aws_iam_role.config_aggregator.arn
  }

  tags       = var.tags
  depends_on = [aws_iam_role_policy_attachment.config_aggregator]
}

# IAM Access Analyzer with the organisation as the zone of trust: any resource shared outside it
# becomes a finding. The unused-access analyzer is priced per role and user, so it is opt-in.
resource "aws_accessanalyzer_analyzer" "organization" {
  provider = aws.security
  count    = var.enable_access_analyzer ? 1 : 0

  analyzer_name = "${var.name}-external-access"
  type          = "ORGANIZATION"
  tags          = var.tags
}

resource "aws_accessanalyzer_analyzer" "unused" {
  provider = aws.security
  count    = var.enable_unused_access_analyzer ? 1 : 0

  analyzer_name = "${var.name}-unused-access"
  type          = "ORGANIZATION_UNUSED_ACCESS"

  configuration {
    unused_access {
      unused_access_age = var.unused_access_age_days
    }
  }

  tags = var.tags
}
