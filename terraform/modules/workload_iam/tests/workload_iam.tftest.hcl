# Plan-time assertions with a mocked provider: the trust and permission documents are checked on their
# inputs (the statements), which Terraform keeps in the plan even though the provider is mocked.

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
  name                 = "chatbot-test"
  cluster_name         = "chatbot-test-eks"
  oidc_provider_arn    = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
  oidc_issuer          = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
  secrets_name_prefix  = "chatbot/test/"
  secrets_kms_key_arns = ["arn:aws:kms:eu-west-1:111122223333:key/secrets"]
  backend_queue_arns   = ["arn:aws:sqs:eu-west-1:111122223333:chatbot-test-jobs"]
  backend_bucket_arns  = ["arn:aws:s3:::chatbot-test-assets"]
}

run "one_role_per_workload" {
  command = plan

  assert {
    condition     = toset(keys(aws_iam_role.this)) == toset(["aws_load_balancer_controller", "cluster_autoscaler", "ebs_csi", "efs_csi", "vpc_cni", "external_secrets", "chatbot_backend", "fluent_bit"])
    error_message = "Each controller and the backend need their own role."
  }

  assert {
    condition     = aws_iam_role.this["external_secrets"].name == "chatbot-test-external-secrets"
    error_message = "Roles are named <name>-<workload>."
  }
}

run "trust_pinned_to_namespace_and_service_account" {
  command = plan

  assert {
    condition = alltrue([for k, d in data.aws_iam_policy_document.trust :
      length(d.statement) == 1
      && one(d.statement).actions == toset(["sts:AssumeRoleWithWebIdentity"])
      && one(one(d.statement).principals).identifiers == toset([var.oidc_provider_arn])
    ])
    error_message = "Every role must be assumable only through the cluster's OIDC provider."
  }

  assert {
    condition = alltrue([for k, d in data.aws_iam_policy_document.trust :
      length([for c in one(d.statement).condition : c if c.test == "StringEquals" && c.variable == "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:aud" && c.values == tolist(["sts.amazonaws.com"])]) == 1
    ])
    error_message = "Every trust policy must pin the audience to sts.amazonaws.com."
  }

  assert {
    condition     = [for c in one(data.aws_iam_policy_document.trust["aws_load_balancer_controller"].statement).condition : c.values if c.variable == "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub"] == [tolist(["system:serviceaccount:kube-system:aws-load-balancer-controller"])]
    error_message = "The load balancer controller role must trust kube-system/aws-load-balancer-controller only."
  }

  assert {
    condition     = [for c in one(data.aws_iam_policy_document.trust["external_secrets"].statement).condition : c.values if c.variable == "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub" && c.test == "StringEquals"] == [tolist(["system:serviceaccount:external-secrets:external-secrets"])]
    error_message = "The External Secrets role must trust external-secrets/external-secrets only (exact match, no wildcard)."
  }

  assert {
    condition     = [for c in one(data.aws_iam_policy_document.trust["chatbot_backend"].statement).condition : c.values if c.variable == "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub"] == [tolist(["system:serviceaccount:chatbot:chatbot-backend"])]
    error_message = "The backend role must trust chatbot/chatbot-backend only."
  }

  assert {
    condition = alltrue([for k, d in data.aws_iam_policy_document.trust :
      alltrue([for c in one(d.statement).condition : c.test == "StringEquals" && !anytrue([for v in c.values : strcontains(v, "*")])]) if k != "efs_csi"
    ])
    error_message = "Trust conditions must be exact matches without wildcards (the EFS CSI role excepted)."
  }
}

run "efs_csi_controller_and_node_pods_share_the_role" {
  command = plan

  assert {
    condition     = [for c in one(data.aws_iam_policy_document.trust["efs_csi"].statement).condition : c.test if endswith(c.variable, ":sub")] == ["StringLike"]
    error_message = "The EFS CSI add-on annotates its controller and node service accounts with the role: :sub needs StringLike."
  }

  assert {
    condition     = [for c in one(data.aws_iam_policy_document.trust["efs_csi"].statement).condition : c.values if endswith(c.variable, ":sub")] == [tolist(["system:serviceaccount:kube-system:efs-csi-*"])]
    error_message = "The pattern must cover efs-csi-controller-sa and efs-csi-node-sa in kube-system, and nothing outside kube-system."
  }

  assert {
    condition     = [for c in one(data.aws_iam_policy_document.trust["efs_csi"].statement).condition : c.test if endswith(c.variable, ":aud")] == ["StringEquals"]
    error_message = "The audience stays an exact match."
  }
}

run "rejects_wildcards_for_other_roles" {
  command = plan

  variables {
    service_accounts = {
      external_secrets = { namespace = "external-secrets", name = "*" }
    }
  }

  expect_failures = [var.service_accounts]
}

run "service_account_override" {
  command = plan

  variables {
    service_accounts = {
      chatbot_backend = { namespace = "chatbot-blue", name = "backend" }
    }
  }

  assert {
    condition     = [for c in one(data.aws_iam_policy_document.trust["chatbot_backend"].statement).condition : c.values if endswith(c.variable, ":sub")] == [tolist(["system:serviceaccount:chatbot-blue:backend"])]
    error_message = "An overridden service account must be the only one trusted."
  }

  assert {
    condition     = [for c in one(data.aws_iam_policy_document.trust["cluster_autoscaler"].statement).condition : c.values if endswith(c.variable, ":sub")] == [tolist(["system:serviceaccount:kube-system:cluster-autoscaler"])]
    error_message = "Overriding one service account must keep the defaults of the others."
  }
}

run "autoscaler_scoped_to_this_cluster" {
  command = plan

  assert {
    condition = alltrue([for s in data.aws_iam_policy_document.cluster_autoscaler.statement :
      length([for c in s.condition : c if c.variable == "aws:ResourceTag/k8s.io/cluster-autoscaler/chatbot-test-eks" && c.values == tolist(["owned"])]) == 1
      if length(setintersection(s.actions, ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"])) > 0
    ])
    error_message = "Scaling actions must be limited to groups tagged as owned by this cluster."
  }

  assert {
    condition = alltrue([for s in data.aws_iam_policy_document.cluster_autoscaler.statement :
      alltrue([for a in s.actions : startswith(a, "autoscaling:Describe") || startswith(a, "ec2:Describe") || startswith(a, "ec2:Get") || a == "eks:DescribeNodegroup"])
      if contains(s.resources, "*")
    ])
    error_message = "Only read-only calls may use Resource *."
  }
}

run "external_secrets_reads_only_this_environment" {
  command = plan

  assert {
    condition     = one([for s in data.aws_iam_policy_document.external_secrets.statement : s.resources if s.sid == "ReadEnvironmentSecrets"]) == toset(["arn:aws:secretsmanager:eu-west-1:111122223333:secret:chatbot/test/*"])
    error_message = "External Secrets may read only secrets under this environment's prefix."
  }

  assert {
    condition     = alltrue([for s in data.aws_iam_policy_document.external_secrets.statement : alltrue([for a in s.actions : contains(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds", "kms:Decrypt"], a)])])
    error_message = "External Secrets must not get write permissions."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.external_secrets.statement : one(s.condition).values if s.sid == "DecryptThroughSecretsManager"]) == tolist(["secretsmanager.eu-west-1.amazonaws.com"])
    error_message = "KMS decrypt must be limited to calls through Secrets Manager."
  }

  assert {
    condition     = length([for s in data.aws_iam_policy_document.external_secrets.statement : s if s.sid == "ReadServiceManagedSecrets"]) == 0
    error_message = "No named extra secrets unless asked for."
  }
}

run "external_secrets_reads_named_service_secrets" {
  command = plan

  variables {
    extra_secret_arns = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!cluster-0123-abcdef"]
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.external_secrets.statement : s.resources if s.sid == "ReadServiceManagedSecrets"]) == toset(var.extra_secret_arns)
    error_message = "Service-managed secrets are readable one by one, by full ARN."
  }

  assert {
    condition     = length([for s in data.aws_iam_policy_document.external_secrets.statement : s if s.sid == "ReadServiceManagedSecrets"]) == 1
    error_message = "One statement for the named secrets."
  }
}

run "extra_secret_wildcards_refused" {
  command = plan

  variables {
    extra_secret_arns = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:*"]
  }

  expect_failures = [var.extra_secret_arns]
}

run "load_balancer_controller_writes_need_cluster_tag" {
  command = plan

  assert {
    condition = alltrue([for s in data.aws_iam_policy_document.aws_load_balancer_controller.statement :
      length([for c in s.condition : c if endswith(c.variable, "Tag/elbv2.k8s.aws/cluster") && c.values == tolist(["chatbot-test-eks"])]) > 0
      if contains(["CreateLoadBalancers", "ModifyOwnLoadBalancers", "ManageOwnSecurityGroups", "TagNewSecurityGroups"], s.sid)
    ])
    error_message = "Creating and changing load balancers and security groups must require this cluster's tag."
  }
}

run "csi_and_cni_use_aws_managed_policies" {
  command = plan

  assert {
    condition     = aws_iam_role_policy_attachment.managed["ebs_csi"].policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy" && aws_iam_role_policy_attachment.managed["efs_csi"].policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy" && aws_iam_role_policy_attachment.managed["vpc_cni"].policy_arn == "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"
    error_message = "EBS CSI, EFS CSI and VPC CNI use the AWS managed driver policies."
  }
}

run "backend_limited_to_its_resources" {
  command = plan

  assert {
    condition     = one([for s in data.aws_iam_policy_document.chatbot_backend[0].statement : s.resources if s.sid == "Objects"]) == toset(["arn:aws:s3:::chatbot-test-assets/*"])
    error_message = "The backend may touch objects of its own buckets only."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.chatbot_backend[0].statement : s.resources if s.sid == "Queues"]) == toset(["arn:aws:sqs:eu-west-1:111122223333:chatbot-test-jobs"])
    error_message = "The backend may use its own queues only."
  }
}

run "backend_without_resources_has_no_policy" {
  command = plan

  variables {
    backend_queue_arns  = []
    backend_bucket_arns = []
  }

  assert {
    condition     = length(aws_iam_role_policy.chatbot_backend) == 0 && contains(keys(aws_iam_role.this), "chatbot_backend")
    error_message = "Without queues or buckets the backend role exists with no permissions."
  }
}

run "rejects_prefix_without_slash" {
  command = plan

  variables {
    secrets_name_prefix = "chatbot"
  }

  expect_failures = [var.secrets_name_prefix]
}

run "fluent_bit_writes_only_its_log_groups" {
  command = plan

  variables {
    fluent_bit_log_group_arns = ["arn:aws:logs:eu-west-1:111122223333:log-group:/aws/eks/chatbot-test-eks/containers"]
  }

  assert {
    condition = (
      one(one(data.aws_iam_policy_document.fluent_bit).statement).actions == toset(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"])
      && one(one(data.aws_iam_policy_document.fluent_bit).statement).resources == toset([
        "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/eks/chatbot-test-eks/containers",
        "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/eks/chatbot-test-eks/containers:log-stream:*",
      ])
    )
    error_message = "Fluent Bit may create streams and put events in its own log groups only: no CreateLogGroup, no retention, no other group."
  }

  assert {
    condition     = length(aws_iam_role_policy.fluent_bit) == 1 && aws_iam_role.this["fluent_bit"].name == "chatbot-test-fluent-bit"
    error_message = "Fluent Bit gets its own role with the log-writing policy."
  }
}

run "fluent_bit_log_group_wildcards_refused" {
  command = plan

  variables {
    fluent_bit_log_group_arns = ["arn:aws:logs:eu-west-1:111122223333:log-group:*"]
  }

  expect_failures = [var.fluent_bit_log_group_arns]
}
