terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
    }
  }

  # Partial configuration: roles/terraform_stack passes bucket (platform_ci_state_bucket), key
  # (<name>/shared-services/ci.tfstate, set by playbooks/ecr.yml), region, encrypt and use_lockfile.
  backend "s3" {}
}
