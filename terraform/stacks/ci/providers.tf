provider "aws" {
  region = var.region

  # Path-style addressing is only needed against S3 emulators (moto) on a loopback address.
  s3_use_path_style = var.s3_use_path_style

  default_tags {
    tags = local.tags
  }
}
