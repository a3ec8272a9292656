# Written by roles/terraform_stack for the first run of a stack that creates its own state bucket,
# and removed right after it. Do not commit.
terraform {
  backend "local" {}
}
