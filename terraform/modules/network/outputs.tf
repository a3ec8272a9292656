output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "IPv4 CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "private_subnet_ids" {
  description = "Private subnet ids in availability-zone order (nodes, pods, internal load balancers, data services)."
  value       = [for az in var.availability_zones : aws_subnet.private[az].id]
}

output "public_subnet_ids" {
  description = "Public subnet ids in availability-zone order (internet-facing load balancers, NAT gateways)."
  value       = [for az in var.availability_zones : aws_subnet.public[az].id]
}

output "intra_subnet_ids" {
  description = "Intra subnet ids (no internet route) in availability-zone order, for the EKS control-plane ENIs."
  value       = [for az in var.availability_zones : aws_subnet.intra[az].id]
}

output "nat_gateway_ids" {
  description = "NAT gateway ids, one per zone or a single one depending on nat_gateway_mode."
  value       = [for az in local.nat_azs : aws_nat_gateway.this[az].id]
}

output "nat_public_ips" {
  description = "Public egress addresses of the NAT gateways (allow-list these at third parties such as Atlas)."
  value       = [for az in local.nat_azs : aws_eip.nat[az].public_ip]
}

output "private_route_table_ids" {
  description = "Route table ids of the private subnets."
  value       = [for az in var.availability_zones : aws_route_table.private[az].id]
}

output "flow_log_group_name" {
  description = "CloudWatch log group receiving the VPC flow logs."
  value       = aws_cloudwatch_log_group.flow_log.name
}
