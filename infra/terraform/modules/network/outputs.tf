output "vpc_id" {
  description = "ID of the VPC."
  value       = module.vpc.vpc_id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, one per availability zone, for the EKS nodes."
  value       = module.vpc.private_subnets
}

output "public_subnet_ids" {
  description = "IDs of the public subnets, one per availability zone, for internet-facing load balancers."
  value       = module.vpc.public_subnets
}

output "intra_subnet_ids" {
  description = "IDs of the intra subnets (no internet route), one per availability zone, for the EKS control plane."
  value       = module.vpc.intra_subnets
}

output "availability_zones" {
  description = "Availability zones the subnets are in."
  value       = local.azs
}
