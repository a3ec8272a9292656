# Plan-time assertions with a mocked provider: no AWS account or network needed.

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
  mock_resource "aws_eks_cluster" {
    defaults = {
      identity = [{ oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" }] }]
    }
  }
}

variables {
  name                     = "chatbot-test"
  vpc_id                   = "vpc-0123456789abcdef0"
  node_subnet_ids          = ["subnet-a", "subnet-b", "subnet-c"]
  control_plane_subnet_ids = ["subnet-x", "subnet-y", "subnet-z"]
  admin_principal_arns     = ["arn:aws:iam::111122223333:role/platform-admin"]
  node_volume_kms_key_arn  = "arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555"
  addons = {
    coredns            = { version = "v1.14.3-eksbuild.3" }
    kube-proxy         = { version = "v1.36.0-eksbuild.14" }
    vpc-cni            = { service_account_role_arn = "arn:aws:iam::111122223333:role/vpc-cni", configuration_values = "{\"enableNetworkPolicy\":\"true\"}" }
    aws-ebs-csi-driver = {}
    aws-efs-csi-driver = {}
  }
}

run "cluster_version_and_access" {
  command = plan

  assert {
    condition     = aws_eks_cluster.this.version == "1.36" && aws_eks_cluster.this.name == "chatbot-test-eks"
    error_message = "Default cluster version must be 1.36 and the name <name>-eks."
  }

  assert {
    condition     = aws_eks_cluster.this.access_config[0].authentication_mode == "API" && aws_eks_cluster.this.access_config[0].bootstrap_cluster_creator_admin_permissions == false
    error_message = "Access must use access entries only (API mode), without implicit creator admin."
  }

  assert {
    condition     = aws_eks_access_policy_association.admin["arn:aws:iam::111122223333:role/platform-admin"].policy_arn == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    error_message = "Admins get cluster admin through an access policy association."
  }

  assert {
    condition     = aws_eks_access_entry.node[0].type == "EC2_LINUX"
    error_message = "The node role needs an EC2_LINUX access entry in API mode."
  }
}

run "private_endpoint_by_default" {
  command = plan

  assert {
    condition     = aws_eks_cluster.this.vpc_config[0].endpoint_private_access && !aws_eks_cluster.this.vpc_config[0].endpoint_public_access
    error_message = "Without allowed CIDRs the API endpoint must be private only."
  }
}

run "public_endpoint_restricted_to_cidrs" {
  command = plan

  variables {
    endpoint_public_access_cidrs = ["203.0.113.0/24"]
  }

  assert {
    condition     = aws_eks_cluster.this.vpc_config[0].endpoint_public_access && toset(aws_eks_cluster.this.vpc_config[0].public_access_cidrs) == toset(["203.0.113.0/24"])
    error_message = "The public endpoint must be limited to the given CIDRs."
  }
}

run "rejects_open_public_endpoint" {
  command = plan

  variables {
    endpoint_public_access_cidrs = ["0.0.0.0/0"]
  }

  expect_failures = [var.endpoint_public_access_cidrs]
}

run "secrets_encryption_and_logging" {
  command = plan

  override_resource {
    target          = module.cluster_key.aws_kms_key.this
    override_during = plan
    values          = { arn = "arn:aws:kms:eu-west-1:111122223333:key/cluster" }
  }

  assert {
    condition     = aws_eks_cluster.this.encryption_config[0].resources == toset(["secrets"]) && aws_eks_cluster.this.encryption_config[0].provider[0].key_arn == module.cluster_key.arn
    error_message = "Kubernetes secrets must be envelope-encrypted with the module's key (modules/kms_key: rotating)."
  }

  assert {
    condition     = toset(aws_eks_cluster.this.enabled_cluster_log_types) == toset(["api", "audit", "authenticator", "controllerManager", "scheduler"])
    error_message = "All control-plane log types must be enabled."
  }

  assert {
    condition     = aws_cloudwatch_log_group.cluster.name == "/aws/eks/chatbot-test-eks/cluster" && aws_cloudwatch_log_group.cluster.retention_in_days == 365
    error_message = "The control-plane log group must exist with retention before the cluster."
  }
}

run "oidc_provider_for_irsa" {
  command = plan

  assert {
    condition     = aws_iam_openid_connect_provider.this.client_id_list == toset(["sts.amazonaws.com"])
    error_message = "The OIDC provider must accept the STS audience."
  }
}

run "node_groups_sizes_types_taints" {
  command = plan

  assert {
    condition     = toset(keys(aws_eks_node_group.this)) == toset(["general", "ml"])
    error_message = "general and ml node groups are expected."
  }

  assert {
    condition     = aws_eks_node_group.this["general"].scaling_config[0].min_size == 2 && aws_eks_node_group.this["general"].scaling_config[0].max_size == 5
    error_message = "general must scale 2-5."
  }

  assert {
    condition     = aws_eks_node_group.this["ml"].scaling_config[0].min_size == 1 && aws_eks_node_group.this["ml"].scaling_config[0].max_size == 3
    error_message = "ml must scale 1-3."
  }

  assert {
    condition     = toset(aws_eks_node_group.this["general"].instance_types) == toset(["t3.large", "t3a.large"]) && toset(aws_eks_node_group.this["ml"].instance_types) == toset(["c5.xlarge", "c6i.xlarge"])
    error_message = "Unexpected instance types."
  }

  assert {
    condition     = length(aws_eks_node_group.this["ml"].taint) == 1 && one(aws_eks_node_group.this["ml"].taint).key == "workload" && one(aws_eks_node_group.this["ml"].taint).value == "ml" && one(aws_eks_node_group.this["ml"].taint).effect == "NO_SCHEDULE"
    error_message = "ml nodes must carry the workload=ml:NoSchedule taint."
  }

  assert {
    condition     = aws_eks_node_group.this["ml"].labels["workload"] == "ml" && length(aws_eks_node_group.this["general"].taint) == 0
    error_message = "ml nodes need the workload=ml label; general nodes must not be tainted."
  }

  assert {
    condition     = alltrue([for g in aws_eks_node_group.this : g.ami_type == "AL2023_x86_64_STANDARD"])
    error_message = "Nodes must run AL2023 x86_64 (the backend image is amd64-only)."
  }

  assert {
    condition     = alltrue([for g in aws_eks_node_group.this : g.tags["k8s.io/cluster-autoscaler/enabled"] == "true" && g.tags["k8s.io/cluster-autoscaler/chatbot-test-eks"] == "owned"])
    error_message = "Node groups need the cluster-autoscaler discovery tags."
  }
}

run "launch_templates_harden_nodes" {
  command = plan

  assert {
    condition     = alltrue([for lt in aws_launch_template.node : lt.metadata_options[0].http_tokens == "required" && lt.metadata_options[0].http_put_response_hop_limit == 1])
    error_message = "Nodes must require IMDSv2 with hop limit 1."
  }

  assert {
    condition     = alltrue([for lt in aws_launch_template.node : lt.block_device_mappings[0].ebs[0].encrypted == "true" && lt.block_device_mappings[0].ebs[0].volume_type == "gp3"])
    error_message = "Root volumes must be encrypted gp3."
  }

  assert {
    condition     = alltrue([for lt in aws_launch_template.node : lt.block_device_mappings[0].ebs[0].kms_key_id == "arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555"])
    error_message = "Root volumes must be encrypted with the customer managed key, not aws/ebs."
  }

  assert {
    condition     = alltrue([for lt in aws_launch_template.node : lt.monitoring[0].enabled == false])
    error_message = "Detailed monitoring is billed and off unless asked for."
  }
}

run "node_group_outputs_for_the_addons_step" {
  command = plan

  assert {
    condition     = output.node_groups["ml"].vcpu == 4 && output.node_groups["ml"].memory_mib == 8192 && output.node_groups["general"].memory_mib == 8192
    error_message = "Each node group reports the shape of its instance types (c5.xlarge: 4 vCPU, 8 GiB; t3.large: 2 vCPU, 8 GiB)."
  }

  assert {
    condition     = output.node_groups["ml"].taints == [{ key = "workload", value = "ml", effect = "NoSchedule" }] && output.node_groups["general"].taints == []
    error_message = "Taints are reported with Kubernetes effect names."
  }

  assert {
    condition     = output.node_groups["ml"].labels["workload"] == "ml" && output.node_groups["ml"].labels["chatbot.platform/node-group"] == "ml"
    error_message = "Labels include the inventory's and the node-group label the module adds."
  }

  assert {
    condition     = output.node_groups["ml"].min_size == 1 && output.node_groups["ml"].max_size == 3 && output.autoscaler_discovery_tags == { "k8s.io/cluster-autoscaler/enabled" = "true", "k8s.io/cluster-autoscaler/chatbot-test-eks" = "owned" }
    error_message = "Sizes and the cluster-autoscaler discovery tags are outputs."
  }
}

run "emulator_switches_leave_out_addons_and_access_entries" {
  command = plan

  variables {
    addons_enabled         = false
    access_entries_enabled = false
  }

  assert {
    condition     = length(aws_eks_addon.before_nodes) + length(aws_eks_addon.after_nodes) == 0 && length(data.aws_eks_addon_version.default) == 0
    error_message = "addons_enabled = false installs no add-on and looks up no version."
  }

  assert {
    condition     = length(aws_eks_access_entry.admin) + length(aws_eks_access_entry.node) + length(aws_eks_access_policy_association.admin) == 0
    error_message = "access_entries_enabled = false creates no access entry."
  }

  assert {
    condition     = length(aws_eks_node_group.this) == 2 && output.addon_versions == {}
    error_message = "The cluster and its node groups stay; no add-on versions are reported."
  }
}

run "rejects_mixed_shapes_in_a_group" {
  command = plan

  variables {
    node_groups = {
      ml = { instance_types = ["c5.xlarge", "m5.large"], min_size = 1, max_size = 2, desired_size = 1 }
    }
  }

  expect_failures = [var.node_groups]
}

run "rejects_an_instance_type_without_a_known_shape" {
  command = plan

  variables {
    node_groups = {
      general = { instance_types = ["t3.large", "x9.huge"], min_size = 1, max_size = 2, desired_size = 1 }
    }
  }

  expect_failures = [var.node_groups]
}

run "rejects_a_root_volume_key_that_is_not_a_key_arn" {
  command = plan

  variables {
    node_volume_kms_key_arn = "alias/aws/ebs"
  }

  expect_failures = [var.node_volume_kms_key_arn]
}

run "addons_installed_and_pinned" {
  command = plan

  assert {
    condition     = toset(concat(keys(aws_eks_addon.before_nodes), keys(aws_eks_addon.after_nodes))) == toset(["coredns", "kube-proxy", "vpc-cni", "aws-ebs-csi-driver", "aws-efs-csi-driver"])
    error_message = "The five add-ons must be installed, and no EKS Pod Identity agent (every workload uses IRSA)."
  }

  assert {
    condition     = toset(keys(aws_eks_addon.before_nodes)) == toset(["vpc-cni", "kube-proxy"])
    error_message = "Networking add-ons must be created before the nodes."
  }

  assert {
    condition     = aws_eks_addon.after_nodes["coredns"].addon_version == "v1.14.3-eksbuild.3" && aws_eks_addon.before_nodes["kube-proxy"].addon_version == "v1.36.0-eksbuild.14"
    error_message = "A pinned add-on version must be used as given."
  }

  assert {
    condition     = aws_eks_addon.after_nodes["aws-ebs-csi-driver"].addon_version == "v1.0.0-eksbuild.1" && length(data.aws_eks_addon_version.default) == 3
    error_message = "Only an unpinned add-on reads the EKS default build."
  }

  assert {
    condition     = output.unpinned_addons == tolist(["aws-ebs-csi-driver", "aws-efs-csi-driver", "vpc-cni"])
    error_message = "Every unpinned add-on is reported, so the platform step can warn about it."
  }

  assert {
    condition     = aws_eks_addon.before_nodes["vpc-cni"].service_account_role_arn == "arn:aws:iam::111122223333:role/vpc-cni"
    error_message = "vpc-cni must run with its IRSA role."
  }

  assert {
    condition     = jsondecode(aws_eks_addon.before_nodes["vpc-cni"].configuration_values) == { enableNetworkPolicy = "true" }
    error_message = "The add-on's configuration values must be passed through."
  }
}

run "rejects_a_kube_proxy_build_of_another_minor" {
  command = plan

  variables {
    addons = {
      coredns            = {}
      kube-proxy         = { version = "v1.35.3-eksbuild.2" }
      vpc-cni            = {}
      aws-ebs-csi-driver = {}
      aws-efs-csi-driver = {}
    }
  }

  expect_failures = [var.addons]
}

run "api_reachable_only_from_the_given_networks" {
  command = plan

  variables {
    endpoint_private_access_cidrs              = ["10.0.0.0/16"]
    endpoint_private_access_security_group_ids = ["sg-0123456789abcdef0"]
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.api_from_cidrs["10.0.0.0/16"].from_port == 443 && aws_vpc_security_group_ingress_rule.api_from_cidrs["10.0.0.0/16"].to_port == 443 && aws_vpc_security_group_ingress_rule.api_from_cidrs["10.0.0.0/16"].ip_protocol == "tcp"
    error_message = "A controller network gets HTTPS to the API endpoint, nothing else."
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.api_from_security_groups["sg-0123456789abcdef0"].referenced_security_group_id == "sg-0123456789abcdef0" && aws_vpc_security_group_ingress_rule.api_from_security_groups["sg-0123456789abcdef0"].from_port == 443
    error_message = "A controller security group gets HTTPS to the API endpoint."
  }
}

run "no_api_ingress_by_default" {
  command = plan

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.api_from_cidrs) + length(aws_vpc_security_group_ingress_rule.api_from_security_groups) == 0
    error_message = "Without inputs nobody but the nodes reaches the API endpoint."
  }
}

run "rejects_open_private_ingress" {
  command = plan

  variables {
    endpoint_private_access_cidrs = ["0.0.0.0/0"]
  }

  expect_failures = [var.endpoint_private_access_cidrs]
}

run "rejects_old_version" {
  command = plan

  variables {
    kubernetes_version = "1.28"
  }

  expect_failures = [var.kubernetes_version]
}

run "rejects_arm_ami" {
  command = plan

  variables {
    node_groups = {
      general = { instance_types = ["t4g.large"], min_size = 1, max_size = 2, desired_size = 1, ami_type = "AL2023_ARM_64_STANDARD" }
    }
  }

  expect_failures = [var.node_groups]
}

run "rejects_missing_addon" {
  command = plan

  variables {
    addons = { coredns = {} }
  }

  expect_failures = [var.addons]
}
