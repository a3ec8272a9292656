# The organisation trail, created in the management account: every account, every region, global
# service events, digest files for log file validation, encrypted with the log archive key. A copy
# of the events goes to a CloudWatch log group in the management account for the security alarms.

locals {
  trail_log_group_name = "/aws/cloudtrail/${local.trail_name}"
  trail_log_group_arn  = "arn:${local.partition}:logs:${local.region}:${local.management_id}:log-group:${local.trail_log_group_name}"
}

module "alert_key" {
  source = "../kms_key"

  name                      = "${var.name}-security-alerts"
  description               = "Organisation trail log group and the security alarms topic in the management account"
  cloudwatch_log_group_arns = [local.trail_log_group_arn]
  policy_documents = [jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "CloudWatchAlarmsPublishToTheEncryptedTopic"
      Effect    = "Allow"
      Principal = { Service = "cloudwatch.amazonaws.com" }
      Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
      Resource  = "*"
      Condition = { StringEquals = { "aws:SourceAccount" = local.management_id } }
    }]
  })]
  tags = var.tags
}

resource "aws_cloudwatch_log_group" "trail" {
  name              = local.trail_log_group_name
  retention_in_days = var.trail_log_retention_days
  kms_key_id        = module.alert_key.arn
  tags              = var.tags
}

resource "aws_iam_role" "trail_logs" {
  name        = "${var.name}-cloudtrail-logs"
  description = "CloudTrail delivers the organisation trail to its CloudWatch log group"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceArn" = local.trail_arn } }
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "trail_logs" {
  name = "write-trail-log-group"
  role = aws_iam_role.trail_logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "WriteTheTrailLogGroupOnly"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${aws_cloudwatch_log_group.trail.arn}:log-stream:*"
    }]
  })
}

resource "aws_cloudtrail" "organization" {
  # checkov:skip=CKV_AWS_252: alerting runs on the CloudWatch log group's metric filters; an SNS notice per delivered log file is noise.
  name                          = local.trail_name
  s3_bucket_name                = module.cloudtrail_bucket.name
  kms_key_id                    = module.log_key.arn
  is_organization_trail         = true
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  enable_logging                = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.trail_logs.arn

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }

  tags = var.tags

  # The bucket policy and the key policy must allow the trail before CloudTrail checks them.
  depends_on = [module.cloudtrail_bucket, module.log_key, aws_iam_role_policy.trail_logs]
}
