# Plan-time assertions with a mocked provider: no AWS account needed.

mock_provider "aws" {
  # Shared defaults of the data-service modules (ARNs, account, region, policy JSON).
  source = "../../testing/aws"
}

variables {
  name                       = "chatbot-test-models"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-a", "subnet-b", "subnet-c"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]
  kms_key_arn                = "arn:aws:kms:eu-west-1:111122223333:key/data"
}

run "encrypted_with_a_mount_target_per_subnet" {
  command = plan

  assert {
    condition     = aws_efs_file_system.this.encrypted && aws_efs_file_system.this.kms_key_id == var.kms_key_arn
    error_message = "EFS must be encrypted with the customer managed key."
  }

  assert {
    condition     = toset([for m in aws_efs_mount_target.this : m.subnet_id]) == toset(var.subnet_ids)
    error_message = "One mount target in every private subnet."
  }

  assert {
    condition     = one(aws_efs_backup_policy.this[0].backup_policy).status == "ENABLED"
    error_message = "Automatic backups are on by default."
  }

  assert {
    condition     = [for r in aws_vpc_security_group_ingress_rule.nfs : [r.from_port, r.referenced_security_group_id]] == [[2049, "sg-0123456789abcdef0"]]
    error_message = "NFS only, only from the allowed security groups."
  }

  assert {
    condition     = one(aws_efs_access_point.models.posix_user).uid == 10001 && one(aws_efs_access_point.models.root_directory).path == "/models"
    error_message = "The access point pins the backend's uid on /models."
  }

  assert {
    condition     = contains([for s in data.aws_iam_policy_document.this.statement : s.sid if s.effect == "Deny"], "DenyInsecureTransport")
    error_message = "Mounts without TLS must be refused."
  }
}

run "backup_can_be_switched_off" {
  command = plan

  variables {
    backup = false
  }

  assert {
    condition     = length(aws_efs_backup_policy.this) == 0
    error_message = "backup = false leaves the file system out of AWS Backup."
  }
}
