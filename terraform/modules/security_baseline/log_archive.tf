# The log archive account: one customer managed key for the organisation's audit logs, the
# CloudTrail and Config buckets (SSE-KMS, optional object lock, Glacier after N days, expiry after
# the audit retention) and the bucket that takes their server access logs. Every service write is
# pinned to the trail or to the organisation's accounts by condition.

data "aws_caller_identity" "management" {}

data "aws_caller_identity" "security" {
  provider = aws.security
}

data "aws_caller_identity" "log_archive" {
  provider = aws.log_archive
}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  partition     = data.aws_partition.current.partition
  region        = data.aws_region.current.name
  management_id = data.aws_caller_identity.management.account_id
  security_id   = data.aws_caller_identity.security.account_id
  member_ids    = sort(distinct(concat(var.member_account_ids, [local.management_id])))

  trail_name = "${var.name}-trail"
  # Known before the trail exists, so the bucket and key policies can name it.
  trail_arn = "arn:${local.partition}:cloudtrail:${local.region}:${local.management_id}:trail/${local.trail_name}"

  cloudtrail_bucket_arn = "arn:${local.partition}:s3:::${var.cloudtrail_bucket_name}"
  config_bucket_arn     = "arn:${local.partition}:s3:::${var.config_bucket_name}"

  log_key_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudTrailEncryptsTheOrganizationTrail"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "kms:GenerateDataKey*"
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:SourceArn" = local.trail_arn }
          StringLike   = { "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:${local.partition}:cloudtrail:*:${local.management_id}:trail/*" }
        }
      },
      {
        Sid       = "CloudTrailDescribesTheKey"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "kms:DescribeKey"
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceArn" = local.trail_arn } }
      },
      {
        Sid       = "ConfigDeliversForOrganizationAccounts"
        Effect    = "Allow"
        Principal = { Service = "config.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = local.member_ids } }
      },
      {
        # Investigators in the security account read the logs through S3, never the key directly.
        Sid       = "SecurityAccountReadsLogsThroughS3"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.security_id}:root" }
        Action    = ["kms:Decrypt", "kms:DescribeKey"]
        Resource  = "*"
        Condition = { StringEquals = { "kms:ViaService" = "s3.${local.region}.amazonaws.com" } }
      },
    ]
  }

  cloudtrail_bucket_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudTrailChecksTheBucketAcl"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = local.cloudtrail_bucket_arn
        Condition = { StringEquals = { "aws:SourceArn" = local.trail_arn } }
      },
      {
        Sid       = "CloudTrailWritesManagementAndMemberLogs"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource = [
          "${local.cloudtrail_bucket_arn}/AWSLogs/${local.management_id}/*",
          "${local.cloudtrail_bucket_arn}/AWSLogs/${var.organization_id}/*",
        ]
        Condition = {
          StringEquals = {
            "aws:SourceArn" = local.trail_arn
            "s3:x-amz-acl"  = "bucket-owner-full-control"
          }
        }
      },
    ]
  }

  # Each account's Config may write under its own AWSLogs/<account id>/Config/ prefix only.
  config_bucket_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid       = "ConfigChecksTheBucket"
          Effect    = "Allow"
          Principal = { Service = "config.amazonaws.com" }
          Action    = ["s3:GetBucketAcl", "s3:ListBucket"]
          Resource  = local.config_bucket_arn
          Condition = { StringEquals = { "aws:SourceAccount" = local.member_ids } }
        },
      ],
      [
        for id in local.member_ids : {
          Sid       = "ConfigWritesFor${id}"
          Effect    = "Allow"
          Principal = { Service = "config.amazonaws.com" }
          Action    = "s3:PutObject"
          Resource  = "${local.config_bucket_arn}/AWSLogs/${id}/Config/*"
          Condition = {
            StringEquals = {
              "aws:SourceAccount" = id
              "s3:x-amz-acl"      = "bucket-owner-full-control"
            }
          }
        }
      ],
    )
  }
}

module "log_key" {
  source    = "../kms_key"
  providers = { aws = aws.log_archive }

  name             = "${var.name}-logs"
  description      = "Organisation audit logs: CloudTrail and AWS Config in the log archive"
  policy_documents = [jsonencode(local.log_key_policy)]
  tags             = var.tags
}

module "access_log_bucket" {
  # checkov:skip=CKV_AWS_145: AWS delivers server access logs only to buckets encrypted with SSE-S3.
  # checkov:skip=CKV_AWS_18: this bucket is the access-log target; logging it into itself would loop.
  # checkov:skip=CKV2_AWS_62: nothing consumes events of access-log objects; they are read when investigating.
  # checkov:skip=CKV_AWS_144: the log archive lives in one region; cross-region copies are an organisation-level choice.
  source    = "../bucket"
  providers = { aws = aws.log_archive }

  name                       = var.access_log_bucket_name
  kms_key_arn                = null # AWS delivers server access logs only to SSE-S3 buckets
  transition_to_glacier_days = var.log_transition_to_glacier_days
  expiration_days            = var.log_expiration_days
  accept_access_logs_from    = [local.cloudtrail_bucket_arn, local.config_bucket_arn]
  force_destroy              = var.force_destroy_log_buckets
  tags                       = var.tags
}

module "cloudtrail_bucket" {
  # checkov:skip=CKV2_AWS_62: CloudTrail's own delivery is the event source; alarms read the trail through CloudWatch Logs.
  # checkov:skip=CKV_AWS_144: the log archive lives in one region, guarded by versioning and object lock; cross-region copies are an organisation-level choice.
  source    = "../bucket"
  providers = { aws = aws.log_archive }

  name                       = var.cloudtrail_bucket_name
  kms_key_arn                = module.log_key.arn
  object_lock                = var.log_object_lock
  transition_to_glacier_days = var.log_transition_to_glacier_days
  expiration_days            = var.log_expiration_days
  logging_target_bucket      = var.enable_log_bucket_access_logging ? module.access_log_bucket.name : null
  policy_documents           = [jsonencode(local.cloudtrail_bucket_policy)]
  force_destroy              = var.force_destroy_log_buckets
  tags                       = var.tags

  # S3 refuses logging into a target whose policy does not yet admit the logging service.
  depends_on = [module.access_log_bucket]
}

module "config_bucket" {
  # checkov:skip=CKV2_AWS_62: AWS Config's aggregator, not object events, is how its history is read.
  # checkov:skip=CKV_AWS_144: the log archive lives in one region, guarded by versioning and object lock; cross-region copies are an organisation-level choice.
  source    = "../bucket"
  providers = { aws = aws.log_archive }

  name                       = var.config_bucket_name
  kms_key_arn                = module.log_key.arn
  object_lock                = var.log_object_lock
  transition_to_glacier_days = var.log_transition_to_glacier_days
  expiration_days            = var.log_expiration_days
  logging_target_bucket      = var.enable_log_bucket_access_logging ? module.access_log_bucket.name : null
  policy_documents           = [jsonencode(local.config_bucket_policy)]
  force_destroy              = var.force_destroy_log_buckets
  tags                       = var.tags

  depends_on = [module.access_log_bucket]
}
