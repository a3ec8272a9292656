terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
    }
  }

  # Partial configuration: roles/terraform_stack passes bucket, key (<name>/<environment>/platform.tfstate),
  # region, encrypt and use_lockfile.
  backend "s3" {}
}
