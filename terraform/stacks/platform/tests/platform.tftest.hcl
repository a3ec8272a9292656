# Plan of the whole stack with a mocked provider. Run as is it uses the variables below; the pytest
# tests/terraform/test_platform_stack.py runs it again with -var-file for the dev, staging and prod
# inventories, so every assertion here must hold for any environment's sizing.

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_availability_zones" {
    defaults = { names = ["eu-west-1c", "eu-west-1a", "eu-west-1b", "eu-west-1d"] }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_secretsmanager_random_password" {
    defaults = { random_password = "MockAuthTokenMockAuthTokenMockAuthToken0123456789abcdefghijklmnop" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:eu-west-1:111122223333:mock" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mock" }
  }
  mock_resource "aws_efs_file_system" {
    defaults = { arn = "arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-mock" }
  }
  mock_resource "aws_wafv2_web_acl" {
    defaults = { arn = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/mock/1" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:111122223333:log-group:mock" }
  }
  mock_data "aws_vpc" {
    defaults = { cidr_block = "10.40.0.0/16" }
  }
  mock_data "aws_eks_addon_version" {
    defaults = { version = "v1.0.0-eksbuild.1" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/mock" }
  }
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" }
  }
  mock_resource "aws_docdb_cluster" {
    defaults = {
      endpoint           = "chatbot-prod.cluster-mock.eu-west-1.docdb.amazonaws.com"
      master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!cluster-mock-AbCdEf", kms_key_id = "", secret_status = "active" }]
    }
  }
  mock_resource "aws_eks_cluster" {
    defaults = {
      identity = [{ oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" }] }]
    }
  }
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

run "environment_plan" {
  command = plan

  assert {
    condition     = length(module.network.private_subnet_ids) == 3 && length(module.network.public_subnet_ids) == 3
    error_message = "The VPC must span three zones."
  }

  assert {
    condition     = var.availability_zones != null || local.azs == tolist(["eu-west-1a", "eu-west-1b", "eu-west-1c"])
    error_message = "Without explicit zones the first three zones in name order are used."
  }

  assert {
    condition     = length(module.network.nat_gateway_ids) == (var.nat_gateway_mode == "single" ? 1 : 3)
    error_message = "NAT gateway count must follow nat_gateway_mode."
  }

  assert {
    condition     = module.eks.cluster_name == "${var.name}-${var.environment}-eks"
    error_message = "The cluster is named <name>-<environment>-eks."
  }

  assert {
    condition     = toset(keys(module.eks.addon_versions)) == toset(["coredns", "kube-proxy", "vpc-cni", "aws-ebs-csi-driver", "aws-efs-csi-driver"])
    error_message = "The five add-ons must be installed, without the EKS Pod Identity agent (every workload role is IRSA)."
  }

  assert {
    condition     = alltrue([for a, v in var.addon_versions : module.eks.addon_versions[a] == v if v != null])
    error_message = "Pinned add-on versions from the inventory must be used."
  }

  assert {
    condition     = output.unpinned_addons == sort([for a, v in var.addon_versions : a if v == null])
    error_message = "Every add-on without a pinned build is reported (the platform step warns about it)."
  }

  assert {
    condition     = jsondecode(module.eks.addon_configuration_values["vpc-cni"]).enableNetworkPolicy == "true"
    error_message = "The VPC CNI add-on must run its network policy agent (enableNetworkPolicy), or every NetworkPolicy is ignored."
  }

  assert {
    condition     = toset(keys(module.workload_iam.role_arns)) == toset(["aws_load_balancer_controller", "cluster_autoscaler", "ebs_csi", "efs_csi", "vpc_cni", "external_secrets", "chatbot_backend"])
    error_message = "Every controller and the backend need an IRSA role."
  }

  assert {
    condition     = local.tags["platform:environment"] == var.environment && local.tags["platform:stack"] == "platform"
    error_message = "Default tags must name the environment and the stack."
  }

  assert {
    condition     = module.eks.api_ingress_sources.cidrs == tolist(sort(var.endpoint_private_access_cidrs)) && module.eks.api_ingress_sources.security_group_ids == tolist(sort(var.endpoint_private_access_security_group_ids))
    error_message = "The inventory's controller networks must be admitted to the private API endpoint."
  }

  assert {
    condition     = output.region == var.region && output.secrets_name_prefix == coalesce(var.secrets_name_prefix, "${var.name}/${var.environment}/")
    error_message = "The cluster add-ons step reads the region and the secrets path External Secrets may read from the outputs."
  }

  assert {
    condition     = toset(keys(output.node_groups)) == toset(keys(var.node_groups)) && alltrue([for k, g in output.node_groups : g.min_size == var.node_groups[k].min_size && g.max_size == var.node_groups[k].max_size])
    error_message = "Every node group is an output with its sizes (cluster-autoscaler, scale from zero)."
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
