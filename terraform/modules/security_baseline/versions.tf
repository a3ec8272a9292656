terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
      # aws: the management account (organisation trail, alerting); aws.security: the delegated
      # administrator of the security services; aws.log_archive: the central log buckets and key.
      configuration_aliases = [aws.security, aws.log_archive]
    }
  }
}
