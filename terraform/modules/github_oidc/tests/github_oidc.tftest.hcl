# Plan/apply assertions with a mocked provider: the trust and permission documents are checked on their
# inputs (the statements), which Terraform keeps even though the provider is mocked.

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "777777777777" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::777777777777:oidc-provider/token.actions.githubusercontent.com" }
  }
}

variables {
  github_repository        = "chatbot-platform/chatbot.platform"
  image_push_branch        = "main"
  promote_environments     = ["staging", "prod"]
  image_push_role_name     = "chatbot-ci-image-push"
  promote_role_name_prefix = "chatbot-ci-promote"
  ecr_repository_names     = ["chatbot/frontend", "chatbot/backend", "chatbot/gateway"]
}

run "one_push_role_and_one_promotion_role_per_environment" {
  command = plan

  assert {
    condition     = aws_iam_role.image_push.name == "chatbot-ci-image-push"
    error_message = "The image-push role takes image_push_role_name."
  }

  assert {
    condition     = { for e, r in aws_iam_role.promote : e => r.name } == { staging = "chatbot-ci-promote-staging", prod = "chatbot-ci-promote-prod" }
    error_message = "One promotion role per target environment, named <prefix>-<environment>."
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 1 && one(aws_iam_openid_connect_provider.github).url == "https://token.actions.githubusercontent.com"
    error_message = "Without oidc_provider_arn the module creates the GitHub Actions OIDC provider."
  }

  assert {
    condition     = one(aws_iam_openid_connect_provider.github).client_id_list == toset(["sts.amazonaws.com"])
    error_message = "The provider admits the STS audience only."
  }

  assert {
    condition     = aws_iam_role.image_push.max_session_duration == 3600 && aws_iam_role.image_push.permissions_boundary == null
    error_message = "One-hour sessions and no permissions boundary by default."
  }
}

run "trust_is_exact_on_audience_and_subject" {
  command = apply

  assert {
    condition     = toset(keys(data.aws_iam_policy_document.trust)) == toset(["image_push", "promote_staging", "promote_prod"])
    error_message = "One trust policy per role."
  }

  assert {
    condition = alltrue([for k, d in data.aws_iam_policy_document.trust :
      length(d.statement) == 1
      && coalesce(one(d.statement).effect, "Allow") == "Allow"
      && one(d.statement).actions == toset(["sts:AssumeRoleWithWebIdentity"])
      && one(one(d.statement).principals).type == "Federated"
      && one(one(d.statement).principals).identifiers == toset(["arn:aws:iam::777777777777:oidc-provider/token.actions.githubusercontent.com"])
    ])
    error_message = "Every role is assumable only with a web identity token of the GitHub Actions provider."
  }

  assert {
    condition = alltrue([for k, d in data.aws_iam_policy_document.trust :
      length(one(d.statement).condition) == 2
      && alltrue([for c in one(d.statement).condition : c.test == "StringEquals" && length(c.values) == 1 && !anytrue([for v in c.values : strcontains(v, "*") || strcontains(v, "?")])])
    ])
    error_message = "Trust conditions are two exact matches (StringEquals, one value, no wildcard)."
  }

  assert {
    condition = alltrue([for k, d in data.aws_iam_policy_document.trust :
      [for c in one(d.statement).condition : c.values if c.variable == "token.actions.githubusercontent.com:aud"] == [tolist(["sts.amazonaws.com"])]
    ])
    error_message = "Every role pins the audience to sts.amazonaws.com."
  }

  assert {
    condition     = [for c in one(data.aws_iam_policy_document.trust["image_push"].statement).condition : c.values if c.variable == "token.actions.githubusercontent.com:sub"] == [tolist(["repo:chatbot-platform/chatbot.platform:ref:refs/heads/main"])]
    error_message = "The image-push role trusts pushes to the one branch of the one repository."
  }

  assert {
    condition     = [for c in one(data.aws_iam_policy_document.trust["promote_staging"].statement).condition : c.values if c.variable == "token.actions.githubusercontent.com:sub"] == [tolist(["repo:chatbot-platform/chatbot.platform:environment:staging"])]
    error_message = "The staging promotion role trusts jobs in the staging GitHub environment only."
  }

  assert {
    condition     = [for c in one(data.aws_iam_policy_document.trust["promote_prod"].statement).condition : c.values if c.variable == "token.actions.githubusercontent.com:sub"] == [tolist(["repo:chatbot-platform/chatbot.platform:environment:prod"])]
    error_message = "The prod promotion role trusts jobs in the prod GitHub environment only."
  }

  assert {
    condition     = output.trusted_subjects == { image_push = "repo:chatbot-platform/chatbot.platform:ref:refs/heads/main", promote_staging = "repo:chatbot-platform/chatbot.platform:environment:staging", promote_prod = "repo:chatbot-platform/chatbot.platform:environment:prod" }
    error_message = "The output names the subject each role trusts."
  }

  assert {
    condition     = output.oidc_provider_arn == "arn:aws:iam::777777777777:oidc-provider/token.actions.githubusercontent.com"
    error_message = "The roles trust the provider the module created."
  }
}

run "no_wildcard_resource_but_the_registry_login" {
  command = plan

  assert {
    condition = alltrue([for s in concat(data.aws_iam_policy_document.image_push.statement, data.aws_iam_policy_document.promote.statement) :
      s.actions == toset(["ecr:GetAuthorizationToken"]) if contains(s.resources, "*") || anytrue([for r in s.resources : strcontains(r, "*")])
    ])
    error_message = "Resource \"*\" (or any wildcard resource) is allowed for ecr:GetAuthorizationToken only."
  }

  assert {
    condition = alltrue([for s in concat(data.aws_iam_policy_document.image_push.statement, data.aws_iam_policy_document.promote.statement) :
      !anytrue([for a in s.actions : strcontains(a, "*")]) && coalesce(s.effect, "Allow") == "Allow" && length(coalesce(s.not_actions, [])) == 0 && length(coalesce(s.not_resources, [])) == 0
    ])
    error_message = "Every action is named (no wildcard, no NotAction or NotResource)."
  }

  assert {
    condition = alltrue([for s in concat(data.aws_iam_policy_document.image_push.statement, data.aws_iam_policy_document.promote.statement) :
      s.resources == toset(["arn:aws:ecr:eu-west-1:777777777777:repository/chatbot/backend", "arn:aws:ecr:eu-west-1:777777777777:repository/chatbot/frontend", "arn:aws:ecr:eu-west-1:777777777777:repository/chatbot/gateway"])
      if s.actions != toset(["ecr:GetAuthorizationToken"])
    ])
    error_message = "Every other statement names exactly the chatbot repositories of this account and region."
  }

  assert {
    condition     = [for s in data.aws_iam_policy_document.promote.statement : s.sid if contains(s.actions, "ecr:GetAuthorizationToken")] == []
    error_message = "Promotion goes through the API only: the promotion roles get no registry login."
  }

  assert {
    condition = alltrue([for a in ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:BatchCheckLayerAvailability", "ecr:DescribeImages", "ecr:DescribeImageScanFindings", "ecr:StartImageScan"] :
    anytrue([for s in data.aws_iam_policy_document.image_push.statement : contains(s.actions, a)])])
    error_message = "The image-push role needs the push actions and the scan gate's reads."
  }

  assert {
    condition     = toset(flatten([for s in data.aws_iam_policy_document.promote.statement : tolist(s.actions)])) == toset(["ecr:BatchGetImage", "ecr:PutImage", "ecr:DescribeRepositories", "ecr:DescribeImages", "ecr:DescribeImageScanFindings", "ecr:StartImageScan"])
    error_message = "A promotion role can read a manifest, put it under new tags, read the mutability rules and run the gate: nothing else."
  }

  assert {
    condition     = !anytrue([for s in concat(data.aws_iam_policy_document.image_push.statement, data.aws_iam_policy_document.promote.statement) : anytrue([for a in s.actions : startswith(a, "kms:") || startswith(a, "iam:") || a == "ecr:DeleteRepository" || a == "ecr:BatchDeleteImage"])])
    error_message = "No KMS, IAM or delete permission: ECR uses its own grants on the repositories' key."
  }
}

run "reuses_an_existing_provider" {
  command = plan

  variables {
    oidc_provider_arn        = "arn:aws:iam::777777777777:oidc-provider/token.actions.githubusercontent.com"
    max_session_duration     = 7200
    permissions_boundary_arn = "arn:aws:iam::777777777777:policy/ci-boundary"
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0
    error_message = "With oidc_provider_arn the module creates no second provider (IAM allows one per URL)."
  }

  assert {
    condition = alltrue([for k, d in data.aws_iam_policy_document.trust :
    one(one(d.statement).principals).identifiers == toset([var.oidc_provider_arn])])
    error_message = "The roles trust the provider given."
  }

  assert {
    condition     = alltrue([for r in concat([aws_iam_role.image_push], values(aws_iam_role.promote)) : r.max_session_duration == 7200 && r.permissions_boundary == "arn:aws:iam::777777777777:policy/ci-boundary"])
    error_message = "Session duration and permissions boundary apply to every role."
  }
}

run "rejects_a_wildcard_branch" {
  command = plan
  variables {
    image_push_branch = "release/*"
  }
  expect_failures = [var.image_push_branch]
}

run "rejects_a_wildcard_repository" {
  command = plan
  variables {
    github_repository = "chatbot-platform/*"
  }
  expect_failures = [var.github_repository]
}

run "rejects_a_wildcard_environment" {
  command = plan
  variables {
    promote_environments = ["staging", "prod*"]
  }
  expect_failures = [var.promote_environments]
}

run "rejects_a_wildcard_repository_name" {
  command = plan
  variables {
    ecr_repository_names = ["chatbot/*"]
  }
  expect_failures = [var.ecr_repository_names]
}

run "rejects_another_provider" {
  command = plan
  variables {
    oidc_provider_arn = "arn:aws:iam::777777777777:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
  }
  expect_failures = [var.oidc_provider_arn]
}
