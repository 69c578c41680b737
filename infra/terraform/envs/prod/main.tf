# Prod environment: an EKS cluster over three zones with on-demand nodes and one NAT gateway per
# zone. The image registry and the GitHub Actions roles live in the dev stack (same account).
locals {
  environment = "prod"
  name        = "nimbus-prod"

  tags = {
    project     = "nimbus-signals"
    environment = local.environment
    owner       = var.owner
    managed-by  = "terraform"
  }
}

module "network" {
  source = "../../modules/network"

  name               = local.name
  cluster_name       = local.name
  cidr               = "10.30.0.0/16"
  az_count           = 3
  single_nat_gateway = false
  tags               = local.tags
}

module "cluster" {
  source = "../../modules/cluster"

  cluster_name                 = local.name
  vpc_id                       = module.network.vpc_id
  node_subnet_ids              = module.network.private_subnet_ids
  control_plane_subnet_ids     = module.network.intra_subnet_ids
  endpoint_public_access_cidrs = var.endpoint_public_access_cidrs

  # One on-demand node per zone, growing to six.
  node_instance_types = var.node_instance_types
  node_capacity_type  = "ON_DEMAND"
  node_min_size       = 3
  node_max_size       = 6
  node_desired_size   = 3
  log_retention_days  = 90

  tags = local.tags
}

module "service_irsa" {
  source = "../../modules/service_irsa"

  role_name         = "nimbus-signals-${local.environment}"
  oidc_provider_arn = module.cluster.oidc_provider_arn
  oidc_issuer_url   = module.cluster.cluster_oidc_issuer_url
  namespace         = "nimbus-signals"
  service_account   = "nimbus-signals"
  tags              = local.tags
}
