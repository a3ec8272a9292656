# Plan-time assertions with a mocked provider: no AWS account needed.

mock_provider "aws" {
  mock_resource "aws_docdb_cluster" {
    defaults = {
      arn                = "arn:aws:rds:eu-west-1:111122223333:cluster:chatbot-test"
      master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!cluster-mock", kms_key_id = "", secret_status = "active" }]
    }
  }
}

variables {
  name                       = "chatbot-test"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-a", "subnet-b", "subnet-c"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]
  kms_key_arn                = "arn:aws:kms:eu-west-1:111122223333:key/data"
  log_kms_key_arn            = "arn:aws:kms:eu-west-1:111122223333:key/logs"
}

run "encrypted_private_and_password_managed_by_aws" {
  command = plan

  assert {
    condition     = aws_docdb_cluster.this.storage_encrypted && aws_docdb_cluster.this.kms_key_id == var.kms_key_arn
    error_message = "Storage is encrypted with the customer managed key."
  }

  assert {
    condition     = aws_docdb_cluster.this.manage_master_user_password && aws_docdb_cluster.this.master_password == null
    error_message = "DocumentDB generates and keeps the master password; Terraform never sees it."
  }

  assert {
    condition     = { for p in aws_docdb_cluster_parameter_group.this.parameter : p.name => p.value }["tls"] == "enabled" && aws_docdb_cluster_parameter_group.this.family == "docdb5.0"
    error_message = "TLS is required by the parameter group of the engine's family."
  }

  assert {
    condition     = toset(aws_docdb_cluster.this.enabled_cloudwatch_logs_exports) == toset(["audit", "profiler"]) && { for p in aws_docdb_cluster_parameter_group.this.parameter : p.name => p.value }["audit_logs"] == "enabled"
    error_message = "Audit and profiler logs go to CloudWatch."
  }

  assert {
    condition     = aws_docdb_cluster.this.deletion_protection && !aws_docdb_cluster.this.skip_final_snapshot && aws_docdb_cluster.this.backup_retention_period == 7
    error_message = "Deletion protection, a final snapshot and a week of backups by default."
  }

  assert {
    condition     = [for r in aws_vpc_security_group_ingress_rule.clients : [r.from_port, r.to_port, r.referenced_security_group_id]] == [[27017, 27017, "sg-0123456789abcdef0"]]
    error_message = "Port 27017 from the allowed security groups only."
  }

  assert {
    condition     = length(aws_docdb_cluster_instance.this) == 1
    error_message = "One instance by default."
  }
}

run "log_groups_exist_first_with_key_and_retention" {
  command = plan

  assert {
    condition     = toset(keys(aws_cloudwatch_log_group.exports)) == toset(aws_docdb_cluster.this.enabled_cloudwatch_logs_exports)
    error_message = "Every exported log gets its log group before the cluster exists (DocumentDB would otherwise create it unencrypted and unbounded)."
  }

  assert {
    condition     = aws_cloudwatch_log_group.exports["audit"].name == "/aws/docdb/chatbot-test/audit" && aws_cloudwatch_log_group.exports["profiler"].name == "/aws/docdb/chatbot-test/profiler"
    error_message = "The log groups carry the names DocumentDB writes to: /aws/docdb/<cluster>/<log>."
  }

  assert {
    condition     = alltrue([for g in aws_cloudwatch_log_group.exports : g.kms_key_id == "arn:aws:kms:eu-west-1:111122223333:key/logs" && g.retention_in_days == 365])
    error_message = "The log groups are encrypted with the customer managed key and keep logs 365 days by default."
  }
}

run "replicas_across_zones" {
  command = plan

  variables {
    instance_count = 3
    instance_class = "db.r6g.large"
  }

  assert {
    condition     = [for i in aws_docdb_cluster_instance.this : i.promotion_tier] == [0, 1, 2] && alltrue([for i in aws_docdb_cluster_instance.this : i.instance_class == "db.r6g.large"])
    error_message = "Three instances with an ordered failover tier."
  }
}

run "reserved_master_user_refused" {
  command = plan

  variables {
    master_username = "admin"
  }

  expect_failures = [var.master_username]
}
