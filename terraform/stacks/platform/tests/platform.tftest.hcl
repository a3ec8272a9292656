# The stack's switches and data services with a mocked provider. tests/environment.tftest.hcl holds the
# plan that tests/terraform/test_platform_stack.py repeats with each inventory's values.

mock_provider "aws" {
  source = "../../testing/aws"
}

variables {
  name        = "chatbot"
  environment = "prod"
  region      = "eu-west-1"
  vpc_cidr    = "10.40.0.0/16"
  node_groups = {
    general = { instance_types = ["t3.large"], min_size = 3, max_size = 5, desired_size = 3 }
    ml      = { instance_types = ["c5.xlarge"], min_size = 2, max_size = 3, desired_size = 2, taints = [{ key = "workload", value = "ml", effect = "NO_SCHEDULE" }] }
  }
}

run "rejects_an_add_on_left_out_of_addon_versions" {
  command = plan

  variables {
    addon_versions = { coredns = "v1.14.3-eksbuild.3", kube-proxy = "v1.36.0-eksbuild.14" }
  }

  expect_failures = [var.addon_versions]
}

run "controller_networks_reach_the_private_endpoint" {
  command = plan

  variables {
    endpoint_private_access_cidrs              = ["10.0.0.0/16"]
    endpoint_private_access_security_group_ids = ["sg-0123456789abcdef0"]
  }

  assert {
    condition     = module.eks.api_ingress_sources == { cidrs = tolist(["10.0.0.0/16"]), security_group_ids = tolist(["sg-0123456789abcdef0"]) }
    error_message = "The controller's networks must reach the private API endpoint (HTTPS on the cluster's security group)."
  }
}

run "emulator_switches" {
  # What the local inventory switches off on moto; real environments keep the defaults.
  command = plan

  variables {
    eks_addons_enabled         = false
    eks_access_entries_enabled = false
  }

  assert {
    condition     = output.addon_versions == {}
    error_message = "Without the add-on API no add-on is installed or looked up."
  }
}

run "data_services" {
  # Applied with a mocked provider; the network and cluster are replaced by their outputs so the
  # data modules get known subnet and security group ids.
  command = apply

  # The certificate's validation records come from ACM at apply time, which a mocked provider does not
  # produce; modules/edge tests them. The environment_plan run above plans them with the inventory's names.
  variables {
    edge = { waf_enabled = true }
  }

  override_module {
    target = module.network
    outputs = {
      vpc_id             = "vpc-0123456789abcdef0"
      vpc_cidr           = "10.40.0.0/16"
      private_subnet_ids = ["subnet-a", "subnet-b", "subnet-c"]
      public_subnet_ids  = ["subnet-d", "subnet-e", "subnet-f"]
      intra_subnet_ids   = ["subnet-g", "subnet-h", "subnet-i"]
      nat_public_ips     = ["203.0.113.10"]
    }
  }

  override_module {
    target = module.eks
    outputs = {
      cluster_name                       = "chatbot-prod-eks"
      cluster_endpoint                   = "https://example.eks.amazonaws.com"
      cluster_certificate_authority_data = "Y2E="
      cluster_version                    = "1.36"
      cluster_security_group_id          = "sg-0123456789abcdef0"
      oidc_provider_arn                  = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
      oidc_issuer                        = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
      addon_versions                     = {}
    }
  }

  assert {
    condition     = length(module.efs.file_system_id) > 0 && length(module.efs.models_access_point_id) > 0
    error_message = "The model store and its access point must exist."
  }

  assert {
    condition     = length(module.redis) == (var.redis.enabled ? 1 : 0)
    error_message = "Redis exists exactly when redis.enabled."
  }

  assert {
    condition     = length(module.documentdb) == (var.documentdb.enabled ? 1 : 0)
    error_message = "DocumentDB exists exactly when documentdb.enabled."
  }

  assert {
    condition     = module.assets_bucket.name == "${var.name}-${var.environment}-assets-111122223333" && module.logs_bucket.name == "${var.name}-${var.environment}-logs-111122223333"
    error_message = "Bucket names are <name>-<env>-<purpose>-<account id>."
  }

  assert {
    condition     = (module.edge.web_acl_arn != null) == var.edge.waf_enabled
    error_message = "The WAF web ACL exists exactly when edge.waf_enabled."
  }
}

run "documentdb_keeps_a_week_of_backups" {
  command = plan

  variables {
    documentdb = { enabled = true, backup_retention_days = 3 }
  }

  expect_failures = [var.documentdb]
}

run "documentdb_alternative" {
  # The same mocked apply with DocumentDB switched on, as an inventory would to replace Atlas.
  command = apply

  variables {
    edge       = { waf_enabled = true }
    documentdb = { enabled = true, instance_count = 2 }
  }

  override_module {
    target = module.network
    outputs = {
      vpc_id             = "vpc-0123456789abcdef0"
      vpc_cidr           = "10.40.0.0/16"
      private_subnet_ids = ["subnet-a", "subnet-b", "subnet-c"]
      public_subnet_ids  = ["subnet-d", "subnet-e", "subnet-f"]
      intra_subnet_ids   = ["subnet-g", "subnet-h", "subnet-i"]
      nat_public_ips     = ["203.0.113.10"]
    }
  }

  override_module {
    target = module.eks
    outputs = {
      cluster_name                       = "chatbot-prod-eks"
      cluster_endpoint                   = "https://example.eks.amazonaws.com"
      cluster_certificate_authority_data = "Y2E="
      cluster_version                    = "1.36"
      cluster_security_group_id          = "sg-0123456789abcdef0"
      oidc_provider_arn                  = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
      oidc_issuer                        = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
      addon_versions                     = {}
    }
  }

  assert {
    condition     = length(module.documentdb) == 1 && output.documentdb_endpoint == "chatbot-prod.cluster-mock.eu-west-1.docdb.amazonaws.com"
    error_message = "documentdb.enabled builds the cluster and exposes its endpoint."
  }

  assert {
    condition     = output.documentdb_master_user_secret_arn == "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!cluster-mock-AbCdEf"
    error_message = "The managed master user secret is an output, for the ExternalSecret that builds the connection string."
  }
}

run "observability_logs_and_alarms" {
  # The container log group Fluent Bit writes to, and the managed-service alarms of observability.tf.
  command = plan

  variables {
    container_log_retention_days = 90
    redis                        = { num_cache_clusters = 3 }
    service_alarms               = { alb_arn_suffixes = ["app/k8s-chatbot-0123456789/0123456789abcdef"] }
  }

  assert {
    condition     = aws_cloudwatch_log_group.containers.name == "/aws/eks/chatbot-prod-eks/containers" && aws_cloudwatch_log_group.containers.retention_in_days == 90 && aws_cloudwatch_log_group.containers.kms_key_id == module.container_logs_kms.arn
    error_message = "The container log group keeps the inventory's retention and is encrypted with its own key."
  }

  assert {
    condition = (
      module.service_alarms[0].alarm_names.dlq_not_empty == ["chatbot-prod-dlq-not-empty-chatbot-prod-backend-dlq"]
      && module.service_alarms[0].alarm_names.redis_cpu == ["chatbot-prod-redis-cpu-chatbot-prod-001", "chatbot-prod-redis-cpu-chatbot-prod-002", "chatbot-prod-redis-cpu-chatbot-prod-003"]
      && length(module.service_alarms[0].alarm_names.alb_5xx) == 2
    )
    error_message = "One alarm for the backend's dead-letter queue, one per Redis node, ELB and target 5xx per ALB."
  }
}
