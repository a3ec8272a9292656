# Mock defaults for what the platform stack reads beyond the data-service modules (zones, VPC, EKS,
# IRSA, DocumentDB); loaded with data_services.tfmock.hcl from this folder.

mock_data "aws_availability_zones" {
  defaults = { names = ["eu-west-1c", "eu-west-1a", "eu-west-1b", "eu-west-1d"] }
}
mock_data "aws_vpc" {
  defaults = { cidr_block = "10.40.0.0/16" }
}
mock_data "aws_eks_addon_version" {
  defaults = { version = "v1.0.0-eksbuild.1" }
}
mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::111122223333:role/mock" }
}
mock_resource "aws_iam_openid_connect_provider" {
  defaults = { arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" }
}
mock_resource "aws_docdb_cluster" {
  defaults = {
    endpoint           = "chatbot-prod.cluster-mock.eu-west-1.docdb.amazonaws.com"
    master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!cluster-mock-AbCdEf", kms_key_id = "", secret_status = "active" }]
  }
}
mock_resource "aws_eks_cluster" {
  defaults = {
    identity = [{ oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" }] }]
  }
}
