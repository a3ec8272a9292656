# Amazon DocumentDB (MongoDB-compatible) as the in-VPC alternative to MongoDB Atlas, off unless the
# environment asks for it: private subnets only, TLS required, KMS at rest, audit and profiler logs
# to KMS-encrypted CloudWatch log groups with retention, deletion protection, a final snapshot, and a
# master password that DocumentDB itself generates and keeps in Secrets Manager
# (manage_master_user_password), so no credential passes through code, the inventory or the Terraform
# state. That secret is encrypted with the AWS managed key aws/secretsmanager: provider 5.100 has no
# argument to name another one (docs/infrastructure.md).

locals {
  port        = 27017
  log_exports = ["audit", "profiler"]
  # 5.0.0 -> docdb5.0
  family = "docdb${join(".", slice(split(".", var.engine_version), 0, 2))}"
}

resource "aws_docdb_subnet_group" "this" {
  name        = var.name
  description = "Private subnets of ${var.name}"
  subnet_ids  = var.subnet_ids
  tags        = var.tags
}

resource "aws_security_group" "this" {
  name        = "${var.name}-docdb"
  description = "DocumentDB ${var.name}: MongoDB port from the allowed security groups only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-docdb" })
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  count                        = length(var.allowed_security_group_ids)
  security_group_id            = aws_security_group.this.id
  description                  = "DocumentDB from ${var.allowed_security_group_ids[count.index]}"
  referenced_security_group_id = var.allowed_security_group_ids[count.index]
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
}

resource "aws_docdb_cluster_parameter_group" "this" {
  name        = var.name
  family      = local.family
  description = "TLS required, audit and profiler on for ${var.name}"
  tags        = var.tags

  parameter {
    name  = "tls"
    value = "enabled"
  }

  parameter {
    name  = "audit_logs"
    value = "enabled"
  }

  parameter {
    name  = "profiler"
    value = "enabled"
  }

  parameter {
    name  = "profiler_threshold_ms"
    value = tostring(var.profiler_threshold_ms)
  }
}

# DocumentDB creates /aws/docdb/<cluster>/<log> itself on first export, without a KMS key and with logs
# kept forever. Created here first, with the customer managed key and a retention.
resource "aws_cloudwatch_log_group" "exports" {
  for_each = toset(local.log_exports)

  name              = "/aws/docdb/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

resource "aws_docdb_cluster" "this" {
  cluster_identifier              = var.name
  engine                          = "docdb"
  engine_version                  = var.engine_version
  port                            = local.port
  master_username                 = var.master_username
  manage_master_user_password     = true
  db_subnet_group_name            = aws_docdb_subnet_group.this.name
  db_cluster_parameter_group_name = aws_docdb_cluster_parameter_group.this.name
  vpc_security_group_ids          = [aws_security_group.this.id]
  storage_encrypted               = true
  kms_key_id                      = var.kms_key_arn
  backup_retention_period         = var.backup_retention_days
  preferred_backup_window         = "02:00-03:00"
  preferred_maintenance_window    = "sun:05:30-sun:06:30"
  enabled_cloudwatch_logs_exports = local.log_exports
  deletion_protection             = var.deletion_protection
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${var.name}-final"
  apply_immediately               = false
  tags                            = var.tags

  depends_on = [aws_cloudwatch_log_group.exports]
}

resource "aws_docdb_cluster_instance" "this" {
  count                      = var.instance_count
  identifier                 = "${var.name}-${count.index + 1}"
  cluster_identifier         = aws_docdb_cluster.this.id
  instance_class             = var.instance_class
  auto_minor_version_upgrade = true
  promotion_tier             = count.index
  tags                       = var.tags
}
