# Plan of the whole stack with a mocked provider. Run as is it uses the variables below; the pytest
# tests/terraform/test_platform_stack.py runs this file alone (-filter) with -var-file for the dev, staging
# and prod inventories, so every assertion here must hold for any environment's sizing.

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
    condition     = toset(keys(module.workload_iam.role_arns)) == toset(["aws_load_balancer_controller", "cluster_autoscaler", "ebs_csi", "efs_csi", "vpc_cni", "external_secrets", "chatbot_backend", "fluent_bit"])
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
