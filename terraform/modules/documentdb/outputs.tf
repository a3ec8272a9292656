output "endpoint" {
  description = "Cluster (writer) endpoint; connect with tls=true, the Amazon RDS CA bundle and retryWrites=false."
  value       = aws_docdb_cluster.this.endpoint
}

output "reader_endpoint" {
  description = "Reader endpoint (load-balanced over the replicas)."
  value       = aws_docdb_cluster.this.reader_endpoint
}

output "port" {
  description = "MongoDB wire-protocol port."
  value       = aws_docdb_cluster.this.port
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret that DocumentDB manages for the master user."
  value       = try(aws_docdb_cluster.this.master_user_secret[0].secret_arn, null)
}

output "security_group_id" {
  description = "Security group of the cluster."
  value       = aws_security_group.this.id
}

output "log_group_names" {
  description = "CloudWatch log groups of the audit and profiler exports."
  value       = { for k, g in aws_cloudwatch_log_group.exports : k => g.name }
}
