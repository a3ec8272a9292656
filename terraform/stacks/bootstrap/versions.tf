terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
    }
  }

  # Partial configuration: roles/terraform_stack passes bucket, key, region, encrypt and
  # use_lockfile. The very first run of this stack has no bucket yet; the role then applies
  # with local state and migrates it into the bucket it just created (docs/terraform.md).
  backend "s3" {}
}
