output "cluster_name" {
  description = "Name of the prod EKS cluster, for aws eks update-kubeconfig."
  value       = module.cluster.cluster_name
}

output "cluster_endpoint" {
  description = "HTTPS URL of the prod Kubernetes API."
  value       = module.cluster.cluster_endpoint
}

output "service_role_arn" {
  description = "IRSA role ARN for deploy/kustomize/overlays/prod/serviceaccount-patch.yaml."
  value       = module.service_irsa.role_arn
}

output "cloudwatch_log_group_name" {
  description = "CloudWatch Logs group of the control plane logs; docs/cleanup.md checks it is gone after destroy."
  value       = module.cluster.cloudwatch_log_group_name
}
