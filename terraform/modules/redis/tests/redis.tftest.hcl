# Plan-time assertions with a mocked provider: no AWS account needed.

mock_provider "aws" {
  # Shared defaults of the data-service modules (ARNs, account, region, policy JSON).
  source = "../../testing/aws"
}

variables {
  name                       = "chatbot-test"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-a", "subnet-b", "subnet-c"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]
  kms_key_arn                = "arn:aws:kms:eu-west-1:111122223333:key/data"
  secret_name_prefix         = "chatbot/test/"
}

run "single_node_dev" {
  command = plan

  assert {
    condition     = aws_elasticache_replication_group.this.at_rest_encryption_enabled && aws_elasticache_replication_group.this.kms_key_id == var.kms_key_arn
    error_message = "Encryption at rest with the customer managed key."
  }

  assert {
    condition     = aws_elasticache_replication_group.this.transit_encryption_enabled && aws_elasticache_replication_group.this.transit_encryption_mode == "required"
    error_message = "TLS must be required in transit."
  }

  assert {
    condition     = !aws_elasticache_replication_group.this.multi_az_enabled && !aws_elasticache_replication_group.this.automatic_failover_enabled
    error_message = "One node: no Multi-AZ or failover (AWS refuses them)."
  }

  assert {
    condition     = aws_secretsmanager_secret.auth.name == "chatbot/test/redis" && aws_secretsmanager_secret.auth.kms_key_id == var.kms_key_arn
    error_message = "The AUTH token lives in <prefix>redis, encrypted with the data key."
  }

  assert {
    condition     = [for r in aws_vpc_security_group_ingress_rule.clients : [r.from_port, r.to_port, r.referenced_security_group_id]] == [[6379, 6379, "sg-0123456789abcdef0"]]
    error_message = "Only the Redis port, only from the allowed security groups."
  }
}

run "multi_az_prod" {
  command = plan

  variables {
    num_cache_clusters = 3
  }

  assert {
    condition     = aws_elasticache_replication_group.this.multi_az_enabled && aws_elasticache_replication_group.this.automatic_failover_enabled
    error_message = "Several nodes: Multi-AZ with automatic failover."
  }
}

run "one_subnet_refused" {
  command = plan

  variables {
    subnet_ids = ["subnet-a"]
  }

  expect_failures = [var.subnet_ids]
}
