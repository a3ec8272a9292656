# Data services of the environment: one customer managed key for them all, the backend's queue and
# buckets, the Redis cache, the optional DocumentDB cluster, the EFS model store, the application's secrets, and the edge (ACM, WAF).
# A second key serves the WAF log group (CloudWatch Logs needs its own key-policy grant).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id      = data.aws_caller_identity.current.account_id
  secrets_prefix  = coalesce(var.secrets_name_prefix, "${var.name}/${var.environment}/")
  waf_log_group   = "aws-waf-logs-${local.prefix}"
  logs_bucket     = "${local.prefix}-logs-${local.account_id}"
  assets_bucket   = "${local.prefix}-assets-${local.account_id}"
  waf_log_pattern = "arn:${data.aws_partition.current.partition}:logs:${var.region}:${local.account_id}:log-group:${local.waf_log_group}"
  # DocumentDB exports to /aws/docdb/<cluster>/<log>; the documentdb module creates those groups on this key.
  docdb_log_pattern = "arn:${data.aws_partition.current.partition}:logs:${var.region}:${local.account_id}:log-group:/aws/docdb/${local.prefix}/*"
}

module "data_kms" {
  source = "../../modules/kms_key"

  name        = "${local.prefix}-data"
  description = "Data services of ${local.prefix}: SQS, S3, Secrets Manager, ElastiCache, EFS"
  tags        = local.tags
}

module "logs_kms" {
  source = "../../modules/kms_key"

  name                      = "${local.prefix}-edge-logs"
  description               = "Log groups of ${local.prefix}: WAF, and DocumentDB's audit and profiler logs when enabled"
  cloudwatch_log_group_arns = concat([local.waf_log_pattern, "${local.waf_log_pattern}:*"], var.documentdb.enabled ? [local.docdb_log_pattern] : [])
  tags                      = local.tags
}

module "queue" {
  source = "../../modules/queue"

  name                       = "${local.prefix}-backend"
  kms_key_arn                = module.data_kms.arn
  visibility_timeout_seconds = var.queue.visibility_timeout_seconds
  message_retention_seconds  = var.queue.message_retention_seconds
  max_receive_count          = var.queue.max_receive_count
  restrict_dlq_sources       = var.queue.restrict_dlq_sources
  tags                       = local.tags
}

# Server access logs of the assets bucket. AWS delivers them only to SSE-S3 buckets.
module "logs_bucket" {
  # checkov:skip=CKV_AWS_145: AWS delivers server access logs only to buckets encrypted with SSE-S3.
  # checkov:skip=CKV_AWS_18: this bucket is the access-log target; logging it into itself would loop.
  # checkov:skip=CKV2_AWS_62: nothing consumes events of access-log objects; they are read when investigating.
  # checkov:skip=CKV_AWS_144: access logs are kept in the environment's region only; losing the region loses the bucket they describe too.
  source = "../../modules/bucket"

  name                               = local.logs_bucket
  kms_key_arn                        = null
  accept_access_logs_from            = ["arn:${data.aws_partition.current.partition}:s3:::${local.assets_bucket}"]
  noncurrent_version_expiration_days = 30
  transition_to_ia_days              = 30
  expiration_days                    = var.buckets.log_expiration_days
  force_destroy                      = var.buckets.force_destroy
  tags                               = local.tags
}

module "assets_bucket" {
  # checkov:skip=CKV2_AWS_62: the application reads assets on request; no consumer for object events exists.
  # checkov:skip=CKV_AWS_144: a second-region copy is a disaster-recovery choice per environment (docs/infrastructure.md); versioning guards against deletion.
  source = "../../modules/bucket"

  name        = local.assets_bucket
  kms_key_arn = module.data_kms.arn
  # A known name (not module.logs_bucket.name) so the plan knows logging is on; depends_on keeps the order.
  logging_target_bucket              = var.buckets.access_logging ? local.logs_bucket : null
  noncurrent_version_expiration_days = var.buckets.noncurrent_version_expiration_days
  force_destroy                      = var.buckets.force_destroy
  tags                               = local.tags

  depends_on = [module.logs_bucket]
}

module "redis" {
  source = "../../modules/redis"
  count  = var.redis.enabled ? 1 : 0

  name                           = local.prefix
  vpc_id                         = module.network.vpc_id
  subnet_ids                     = module.network.private_subnet_ids
  allowed_security_group_ids     = [module.eks.cluster_security_group_id]
  kms_key_arn                    = module.data_kms.arn
  secret_name_prefix             = local.secrets_prefix
  secret_recovery_window_in_days = var.app_secrets.recovery_window_in_days
  engine_version                 = var.redis.engine_version
  node_type                      = var.redis.node_type
  num_cache_clusters             = var.redis.num_cache_clusters
  snapshot_retention_limit       = var.redis.snapshot_retention_limit
  auth_token_version             = var.redis.auth_token_version
  tags                           = local.tags
}

# The alternative to Atlas, only when the inventory turns it on (platform_stack_documentdb.enabled).
module "documentdb" {
  # checkov:skip=CKV_AWS_360: checkov 3.3.30 leaves this instance's inputs unresolved and crashes on the text var.backup_retention_days; variable documentdb's validation holds retention at 7-35 days, and the module scanned alone passes the check.
  source = "../../modules/documentdb"
  count  = var.documentdb.enabled ? 1 : 0

  name                       = local.prefix
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  allowed_security_group_ids = [module.eks.cluster_security_group_id]
  kms_key_arn                = module.data_kms.arn
  engine_version             = var.documentdb.engine_version
  instance_class             = var.documentdb.instance_class
  instance_count             = var.documentdb.instance_count
  backup_retention_days      = var.documentdb.backup_retention_days
  deletion_protection        = var.documentdb.deletion_protection
  log_kms_key_arn            = module.logs_kms.arn
  log_retention_days         = var.log_retention_days
  tags                       = local.tags
}

module "efs" {
  source = "../../modules/efs"

  name                       = "${local.prefix}-models"
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  allowed_security_group_ids = [module.eks.cluster_security_group_id]
  kms_key_arn                = module.data_kms.arn
  transition_to_ia           = var.efs.transition_to_ia
  backup                     = var.efs.backup
  tags                       = local.tags
}

module "app_secrets" {
  source = "../../modules/app_secrets"

  name_prefix             = local.secrets_prefix
  secrets                 = var.app_secrets.secrets
  kms_key_arn             = module.data_kms.arn
  recovery_window_in_days = var.app_secrets.recovery_window_in_days
  tags                    = local.tags
}

module "edge" {
  source = "../../modules/edge"

  name                      = local.prefix
  domain_name               = var.edge.domain_name
  subject_alternative_names = var.edge.subject_alternative_names
  hosted_zone_id            = var.edge.hosted_zone_id
  waf_enabled               = var.edge.waf_enabled
  waf_rate_limit            = var.edge.waf_rate_limit
  waf_sqli_rules            = var.edge.waf_sqli_rules
  log_kms_key_arn           = module.logs_kms.arn
  log_retention_days        = var.edge.log_retention_days
  tags                      = local.tags
}
