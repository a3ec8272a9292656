# The stack's wiring with a mocked provider: inventory-shaped inputs reach the module, the registry host and the
# role ARNs come out, and the stack refuses an environment other than shared-services.

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "777777777777" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::777777777777:oidc-provider/token.actions.githubusercontent.com" }
  }
}

variables {
  name                     = "chatbot"
  environment              = "shared-services"
  region                   = "eu-west-1"
  github_repository        = "chatbot-platform/chatbot.platform"
  github_branch            = "main"
  promote_environments     = ["staging", "prod"]
  image_push_role_name     = "chatbot-ci-image-push"
  promote_role_name_prefix = "chatbot-ci-promote"
  ecr_repository_names     = ["chatbot/frontend", "chatbot/backend", "chatbot/gateway"]
}

run "outputs_for_the_github_configuration" {
  command = apply

  assert {
    condition     = output.ecr_registry == "777777777777.dkr.ecr.eu-west-1.amazonaws.com"
    error_message = "ECR_REGISTRY is the shared-services registry host."
  }

  assert {
    condition     = keys(output.promote_role_arns) == ["prod", "staging"]
    error_message = "One promotion role ARN per target environment."
  }

  assert {
    condition     = output.trusted_subjects["image_push"] == "repo:chatbot-platform/chatbot.platform:ref:refs/heads/main"
    error_message = "github_branch is the branch the image-push role trusts."
  }

  assert {
    condition     = module.github_oidc.repository_arns == tolist(["arn:aws:ecr:eu-west-1:777777777777:repository/chatbot/backend", "arn:aws:ecr:eu-west-1:777777777777:repository/chatbot/frontend", "arn:aws:ecr:eu-west-1:777777777777:repository/chatbot/gateway"])
    error_message = "The roles act on the ECR step's repositories in this account and region."
  }
}

run "refuses_a_per_environment_copy" {
  command = plan

  variables {
    environment = "dev"
  }

  expect_failures = [var.environment]
}
