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
    condition     = toset(keys(module.eks.addon_versions)) == toset(["coredns", "kube-proxy", "vpc-cni", "aws-ebs-csi-driver", "aws-efs-csi-driver", "eks-pod-identity-agent"])
    error_message = "All six add-ons must be installed."
  }

  assert {
    condition     = alltrue([for a, v in var.addon_versions : module.eks.addon_versions[a] == v])
    error_message = "Pinned add-on versions from the inventory must be used."
  }

  assert {
    condition     = toset(keys(module.workload_iam.role_arns)) == toset(["aws_load_balancer_controller", "cluster_autoscaler", "ebs_csi", "efs_csi", "vpc_cni", "external_secrets", "chatbot_backend"])
    error_message = "Every controller and the backend need an IRSA role."
  }

  assert {
    condition     = local.tags["platform:environment"] == var.environment && local.tags["platform:stack"] == "platform"
    error_message = "Default tags must name the environment and the stack."
  }
}
