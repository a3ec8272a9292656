# Secrets Manager containers for the application's credentials, <prefix><name>, encrypted with the
# environment's key. Terraform creates the secrets, never their values: those are set out of band
# (aws secretsmanager put-secret-value) or by the step that owns them (the Atlas step writes
# <prefix>mongodb), so no credential passes through code, the inventory or the Terraform state.

resource "aws_secretsmanager_secret" "this" {
  # checkov:skip=CKV2_AWS_57: rotation belongs to the owner of each credential (Atlas users, OIDC clients); Terraform only creates the container.
  for_each                = var.secrets
  name                    = "${var.name_prefix}${each.key}"
  description             = each.value
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days
  tags                    = var.tags
}
