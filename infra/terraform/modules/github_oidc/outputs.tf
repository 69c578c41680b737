output "oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC provider the roles trust."
  value       = local.oidc_provider_arn
}

output "push_role_arn" {
  description = "ARN of the role the release workflow assumes; store it as the repository variable AWS_ECR_PUSH_ROLE_ARN."
  value       = aws_iam_role.push.arn
}

output "plan_role_arn" {
  description = "ARN of the role the infra workflow assumes for terraform plan (empty when create_plan_role is false); store it as the repository variable AWS_TERRAFORM_PLAN_ROLE_ARN."
  value       = var.create_plan_role ? aws_iam_role.plan[0].arn : ""
}
