# Security alarms on the organisation trail's log group: it holds the events of every account, so
# one metric filter sees a break-glass sign-in or root use anywhere in the organisation. Each
# alarm fires on the first matching event and notifies the security topic.

locals {
  metric_namespace = "${var.name}/security"

  alarms = {
    break_glass_sign_in = {
      description = "Someone signed in to an account through the ${var.break_glass_permission_set} permission set."
      pattern     = "{ ($.eventSource = \"sts.amazonaws.com\") && ($.eventName = \"AssumeRoleWithSAML\") && ($.requestParameters.roleArn = \"*AWSReservedSSO_${var.break_glass_permission_set}_*\") }"
    }
    root_user_activity = {
      description = "The root user of an account was used."
      pattern     = "{ ($.userIdentity.type = \"Root\") && ($.userIdentity.invokedBy NOT EXISTS) && ($.eventType != \"AwsServiceEvent\") }"
    }
    console_sign_in_without_mfa = {
      description = "An IAM user signed in to the console without MFA."
      pattern     = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") && ($.userIdentity.type = \"IAMUser\") && ($.responseElements.ConsoleLogin = \"Success\") }"
    }
    cloudtrail_changed = {
      description = "A trail was created, changed, stopped or deleted."
      pattern     = "{ ($.eventSource = \"cloudtrail.amazonaws.com\") && (($.eventName = \"CreateTrail\") || ($.eventName = \"UpdateTrail\") || ($.eventName = \"DeleteTrail\") || ($.eventName = \"StopLogging\") || ($.eventName = \"PutEventSelectors\")) }"
    }
    security_services_changed = {
      description = "GuardDuty, Security Hub, AWS Config or Access Analyzer was switched off or reconfigured."
      pattern     = "{ ($.eventName = \"DeleteDetector\") || ($.eventName = \"DisassociateFromAdministratorAccount\") || ($.eventName = \"DisableSecurityHub\") || ($.eventName = \"BatchDisableStandards\") || ($.eventName = \"StopConfigurationRecorder\") || ($.eventName = \"DeleteDeliveryChannel\") || ($.eventName = \"DeleteConfigurationRecorder\") || ($.eventName = \"DeleteAnalyzer\") }"
    }
    organization_policy_changed = {
      description = "A service control policy or the organisation's structure was changed."
      pattern     = "{ ($.eventSource = \"organizations.amazonaws.com\") && (($.eventName = \"AttachPolicy\") || ($.eventName = \"DetachPolicy\") || ($.eventName = \"UpdatePolicy\") || ($.eventName = \"DeletePolicy\") || ($.eventName = \"MoveAccount\") || ($.eventName = \"LeaveOrganization\") || ($.eventName = \"DisableAWSServiceAccess\")) }"
    }
    iam_policy_changed = {
      description = "An IAM policy was created, changed, attached or detached."
      pattern     = "{ ($.eventSource = \"iam.amazonaws.com\") && (($.eventName = \"PutRolePolicy\") || ($.eventName = \"PutUserPolicy\") || ($.eventName = \"PutGroupPolicy\") || ($.eventName = \"CreatePolicyVersion\") || ($.eventName = \"AttachRolePolicy\") || ($.eventName = \"AttachUserPolicy\") || ($.eventName = \"AttachGroupPolicy\") || ($.eventName = \"DeletePolicy\")) }"
    }
  }
}

resource "aws_sns_topic" "security_alerts" {
  name              = "${var.name}-security-alerts"
  kms_master_key_id = module.alert_key.arn
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_email_addresses)

  topic_arn = aws_sns_topic.security_alerts.arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_log_metric_filter" "security" {
  for_each = local.alarms

  name           = "${var.name}-${replace(each.key, "_", "-")}"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = each.value.pattern

  metric_transformation {
    name          = each.key
    namespace     = local.metric_namespace
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_metric_alarm" "security" {
  for_each = local.alarms

  alarm_name          = "${var.name}-${replace(each.key, "_", "-")}"
  alarm_description   = each.value.description
  namespace           = local.metric_namespace
  metric_name         = aws_cloudwatch_log_metric_filter.security[each.key].metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.security_alerts.arn]
  tags                = var.tags
}
