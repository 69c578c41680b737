variable "github_repository" {
  description = "GitHub repository allowed to assume the roles, as \"OWNER/NAME\", e.g. \"example-org/nimbus-signals\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "The github_repository must be OWNER/NAME, e.g. example-org/nimbus-signals."
  }
}

variable "push_refs" {
  description = "Git refs whose workflow runs may push images, matched against the token's sub claim. Wildcards * and ? are allowed, e.g. [\"refs/heads/main\", \"refs/tags/v*\"]."
  type        = list(string)
  default     = ["refs/heads/main", "refs/tags/v*"]
}

variable "ecr_repository_arn" {
  description = "ARN of the ECR repository the push role may write to (output repository_arn of the registry module)."
  type        = string
}

variable "create_oidc_provider" {
  description = "true creates the account's IAM OIDC provider for token.actions.githubusercontent.com. An account has at most one; set false and pass existing_oidc_provider_arn when it exists already."
  type        = bool
  default     = true
}

variable "existing_oidc_provider_arn" {
  description = "ARN of an existing GitHub Actions OIDC provider, used when create_oidc_provider is false."
  type        = string
  default     = ""
}

variable "push_role_name" {
  description = "Name of the IAM role the release workflow assumes to push images."
  type        = string
  default     = "github-actions-ecr-push"
}

variable "create_plan_role" {
  description = "true also creates a read-only role that pull request workflows assume to run terraform plan."
  type        = bool
  default     = true
}

variable "plan_role_name" {
  description = "Name of the IAM role the infra workflow assumes to run terraform plan."
  type        = string
  default     = "github-actions-terraform-plan"
}

variable "state_bucket_arn" {
  description = "ARN of the S3 bucket that holds the Terraform state, e.g. \"arn:aws:s3:::nimbus-tfstate-EXAMPLE\". Needed when create_plan_role is true."
  type        = string
  default     = ""
}

variable "lock_table_arn" {
  description = "ARN of the DynamoDB table that holds the Terraform state locks. Needed when create_plan_role is true."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags added to every resource the module creates, as a map of tag key to value."
  type        = map(string)
  default     = {}
}
