terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
    }
  }

  # Partial configuration: roles/terraform_stack passes bucket, key, region, encrypt and
  # use_lockfile. The state bucket lives in the management account (bootstrap stack); the member
  # security and log archive accounts through provider aliases (providers.tf).
  backend "s3" {}
}
