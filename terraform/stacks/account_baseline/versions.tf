terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
    }
  }

  # Partial configuration: roles/terraform_stack passes bucket, key, region, encrypt and
  # use_lockfile. playbooks/accounts.yml gives every account its own key
  # (<name>/<env>/account_baseline-<account key>.tfstate) in the management account's state bucket.
  backend "s3" {}
}
