# A VPC with public subnets (load balancers, NAT gateways), private subnets (nodes and pods) and
# intra subnets without internet routes (the EKS control plane's network interfaces).
data "aws_availability_zones" "available" {
  state = "available"

  # Local and Wavelength zones cannot host EKS nodes.
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, var.az_count)
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.16"

  name = var.name
  cidr = var.cidr
  azs  = local.azs

  # /20 private subnets leave room for one IP per pod (VPC CNI), /24 is plenty for the rest.
  private_subnets = [for index, _ in local.azs : cidrsubnet(var.cidr, 4, index)]
  public_subnets  = [for index, _ in local.azs : cidrsubnet(var.cidr, 8, 48 + index)]
  intra_subnets   = [for index, _ in local.azs : cidrsubnet(var.cidr, 8, 52 + index)]

  enable_nat_gateway     = true
  single_nat_gateway     = var.single_nat_gateway
  one_nat_gateway_per_az = !var.single_nat_gateway

  enable_dns_hostnames = true
  enable_dns_support   = true

  # Tags that Kubernetes load balancer controllers use to find subnets.
  public_subnet_tags = {
    "kubernetes.io/role/elb"                    = "1"
    "kubernetes.io/cluster/${var.cluster_name}" = "shared"
  }
  private_subnet_tags = {
    "kubernetes.io/role/internal-elb"           = "1"
    "kubernetes.io/cluster/${var.cluster_name}" = "shared"
  }

  tags = var.tags
}
