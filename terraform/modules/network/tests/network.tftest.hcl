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
}

variables {
  name               = "chatbot-test"
  cluster_name       = "chatbot-test-eks"
  vpc_cidr           = "10.40.0.0/16"
  availability_zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

run "three_zones_with_three_tiers" {
  command = plan

  assert {
    condition     = length(aws_subnet.private) == 3 && length(aws_subnet.public) == 3 && length(aws_subnet.intra) == 3
    error_message = "Every tier needs one subnet in each of the three zones."
  }

  assert {
    condition     = toset([for s in aws_subnet.private : s.availability_zone]) == toset(var.availability_zones)
    error_message = "Private subnets must cover all three zones."
  }

  assert {
    condition     = alltrue([for s in aws_subnet.public : s.map_public_ip_on_launch == false])
    error_message = "Public subnets must not hand out public IPs automatically."
  }

  assert {
    condition     = aws_subnet.private["eu-west-1a"].cidr_block == "10.40.0.0/19" && aws_subnet.public["eu-west-1a"].cidr_block == "10.40.96.0/22" && aws_subnet.intra["eu-west-1c"].cidr_block == "10.40.114.0/24"
    error_message = "Unexpected address plan."
  }
}

run "load_balancer_and_autoscaler_tags" {
  command = plan

  assert {
    condition     = alltrue([for s in aws_subnet.public : s.tags["kubernetes.io/role/elb"] == "1"])
    error_message = "Public subnets need kubernetes.io/role/elb for internet-facing load balancers."
  }

  assert {
    condition     = alltrue([for s in aws_subnet.private : s.tags["kubernetes.io/role/internal-elb"] == "1" && s.tags["k8s.io/cluster-autoscaler/chatbot-test-eks"] == "owned"])
    error_message = "Private subnets need the internal-elb and cluster-autoscaler discovery tags."
  }

  assert {
    condition     = alltrue([for s in aws_subnet.intra : !contains(keys(s.tags), "kubernetes.io/role/elb")])
    error_message = "Intra subnets must not be chosen for load balancers."
  }
}

run "nat_per_az_by_default" {
  command = plan

  assert {
    condition     = length(aws_nat_gateway.this) == 3 && length(aws_eip.nat) == 3
    error_message = "per_az mode needs one NAT gateway and address per zone."
  }

  assert {
    condition     = length(aws_route.private_nat) == 3
    error_message = "Each private route table needs a default route."
  }
}

run "single_nat_for_dev" {
  command = plan

  variables {
    nat_gateway_mode = "single"
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1 && keys(aws_nat_gateway.this) == ["eu-west-1a"]
    error_message = "single mode must create exactly one NAT gateway in the first zone."
  }

  assert {
    condition     = length(aws_route.private_nat) == 3
    error_message = "All three private route tables still need a default route through the single NAT."
  }
}

run "flow_logs_encrypted_and_retained" {
  command = plan

  override_resource {
    target          = module.flow_log_key.aws_kms_key.this
    override_during = plan
    values          = { arn = "arn:aws:kms:eu-west-1:111122223333:key/flow-logs" }
  }

  assert {
    condition     = aws_flow_log.this.traffic_type == "ALL" && aws_flow_log.this.log_destination_type == "cloud-watch-logs"
    error_message = "The VPC must log all traffic to CloudWatch Logs."
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_log.retention_in_days == 365
    error_message = "Flow logs must be kept for a year by default."
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_log.kms_key_id == module.flow_log_key.arn
    error_message = "The flow log group must be encrypted with the module's key (modules/kms_key: rotating, logs limited to this group)."
  }
}

run "endpoints" {
  command = plan

  assert {
    condition     = aws_vpc_endpoint.s3.vpc_endpoint_type == "Gateway" && aws_vpc_endpoint.s3.service_name == "com.amazonaws.eu-west-1.s3"
    error_message = "S3 must go through a gateway endpoint."
  }

  assert {
    condition     = toset(keys(aws_vpc_endpoint.interface)) == toset(["ecr.api", "ecr.dkr", "sts", "logs"])
    error_message = "ECR, STS and logs interface endpoints are expected by default."
  }

  assert {
    condition     = alltrue([for e in aws_vpc_endpoint.interface : e.private_dns_enabled])
    error_message = "Interface endpoints need private DNS so SDKs use them transparently."
  }
}

run "rejects_two_zones" {
  command = plan

  variables {
    availability_zones = ["eu-west-1a", "eu-west-1b"]
  }

  expect_failures = [var.availability_zones]
}

run "rejects_unknown_nat_mode" {
  command = plan

  variables {
    nat_gateway_mode = "none"
  }

  expect_failures = [var.nat_gateway_mode]
}
