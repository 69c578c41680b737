output "cluster_name" {
  description = "Name of the dev EKS cluster, for aws eks update-kubeconfig."
  value       = module.cluster.cluster_name
}

output "cluster_endpoint" {
  description = "HTTPS URL of the dev Kubernetes API."
  value       = module.cluster.cluster_endpoint
}

output "repository_url" {
  description = "ECR repository URL, the newName of the images entry in the Kustomize overlays."
  value       = module.registry.repository_url
}

output "service_role_arn" {
  description = "IRSA role ARN for deploy/kustomize/overlays/dev/serviceaccount-patch.yaml."
  value       = module.service_irsa.role_arn
}

output "ecr_push_role_arn" {
  description = "Role ARN for the GitHub repository variable AWS_ECR_PUSH_ROLE_ARN."
  value       = module.github_oidc.push_role_arn
}

output "terraform_plan_role_arn" {
  description = "Role ARN for the GitHub repository variable AWS_TERRAFORM_PLAN_ROLE_ARN."
  value       = module.github_oidc.plan_role_arn
}

output "cloudwatch_log_group_name" {
  description = "CloudWatch Logs group of the control plane logs; docs/cleanup.md checks it is gone after destroy."
  value       = module.cluster.cloudwatch_log_group_name
}
