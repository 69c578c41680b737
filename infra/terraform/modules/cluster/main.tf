# An EKS cluster with one managed node group, the core add-ons, and an IAM OIDC provider for IRSA,
# built with the community module terraform-aws-modules/eks/aws.
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.31"

  cluster_name    = var.cluster_name
  cluster_version = var.kubernetes_version

  vpc_id                   = var.vpc_id
  subnet_ids               = var.node_subnet_ids
  control_plane_subnet_ids = var.control_plane_subnet_ids

  cluster_endpoint_private_access      = true
  cluster_endpoint_public_access       = length(var.endpoint_public_access_cidrs) > 0
  cluster_endpoint_public_access_cidrs = var.endpoint_public_access_cidrs

  # Access entries instead of the aws-auth ConfigMap; whoever runs terraform apply gets admin.
  authentication_mode                      = "API"
  enable_cluster_creator_admin_permissions = true

  # IAM OIDC provider for IAM roles for service accounts (IRSA).
  enable_irsa = true

  cluster_enabled_log_types              = ["api", "audit", "authenticator"]
  cloudwatch_log_group_retention_in_days = var.log_retention_days

  cluster_addons = {
    coredns    = {}
    kube-proxy = {}
    vpc-cni = {
      # NetworkPolicy objects are enforced only with the VPC CNI's network policy agent on.
      before_compute = true
      configuration_values = jsonencode({
        enableNetworkPolicy = "true"
      })
    }
  }

  eks_managed_node_groups = {
    default = {
      instance_types = var.node_instance_types
      capacity_type  = var.node_capacity_type
      ami_type       = "AL2023_x86_64_STANDARD"

      min_size     = var.node_min_size
      max_size     = var.node_max_size
      desired_size = var.node_desired_size

      # The module builds a launch template, so the root volume is set here and not by disk_size.
      block_device_mappings = {
        xvda = {
          device_name = "/dev/xvda"
          ebs = {
            volume_size           = var.node_disk_size_gib
            volume_type           = "gp3"
            encrypted             = true
            delete_on_termination = true
          }
        }
      }

      # Pods cannot reach the instance metadata service through the node (hop limit 1), so they
      # get AWS credentials only through IRSA.
      metadata_options = {
        http_endpoint               = "enabled"
        http_tokens                 = "required"
        http_put_response_hop_limit = 1
      }
    }
  }

  tags = var.tags
}
