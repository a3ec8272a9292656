output "file_system_id" {
  description = "EFS file system id (StorageClass parameter fileSystemId)."
  value       = aws_efs_file_system.this.id
}

output "file_system_arn" {
  description = "EFS file system ARN."
  value       = aws_efs_file_system.this.arn
}

output "models_access_point_id" {
  description = "Access point of the model directory (for a static PersistentVolume)."
  value       = aws_efs_access_point.models.id
}

output "security_group_id" {
  description = "Security group of the mount targets."
  value       = aws_security_group.this.id
}
