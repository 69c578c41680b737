# Dev environment: a small EKS cluster, the image registry and the GitHub Actions roles.
#
# The registry and the GitHub OIDC provider are account-wide, so only this stack creates them;
# the prod cluster, in the same account, pulls from the same repository. Create dev before prod
# and destroy it after prod.
locals {
  environment = "dev"
  name        = "nimbus-dev"

  tags = {
    project     = "nimbus-signals"
    environment = local.environment
    owner       = var.owner
    managed-by  = "terraform"
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

module "network" {
  source = "../../modules/network"

  name               = local.name
  cluster_name       = local.name
  cidr               = "10.20.0.0/16"
  az_count           = 2
  single_nat_gateway = true
  tags               = local.tags
}

module "cluster" {
  source = "../../modules/cluster"

  cluster_name                 = local.name
  vpc_id                       = module.network.vpc_id
  node_subnet_ids              = module.network.private_subnet_ids
  control_plane_subnet_ids     = module.network.intra_subnet_ids
  endpoint_public_access_cidrs = var.endpoint_public_access_cidrs

  # Two small spot nodes, growing to three.
  node_instance_types = var.node_instance_types
  node_capacity_type  = "SPOT"
  node_min_size       = 2
  node_max_size       = 3
  node_desired_size   = 2
  log_retention_days  = 7

  tags = local.tags
}

module "registry" {
  source = "../../modules/registry"

  repository_name = "nimbus-signals"
  # Prod pulls from this repository too; destroy removes the images only when dev goes last.
  force_delete = true
  tags         = local.tags
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

module "github_oidc" {
  source = "../../modules/github_oidc"

  github_repository  = var.github_repository
  ecr_repository_arn = module.registry.repository_arn
  state_bucket_arn   = "arn:${data.aws_partition.current.partition}:s3:::${var.state_bucket_name}"
  lock_table_arn     = "arn:${data.aws_partition.current.partition}:dynamodb:${var.region}:${data.aws_caller_identity.current.account_id}:table/${var.lock_table_name}"
  tags               = local.tags
}
