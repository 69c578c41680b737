variable "role_name" {
  description = "Name of the IAM role, e.g. \"nimbus-signals-dev\". It must match the role ARN in the Kustomize overlay's ServiceAccount annotation."
  type        = string
}

variable "oidc_provider_arn" {
  description = "ARN of the EKS cluster's IAM OIDC provider (output oidc_provider_arn of the cluster module)."
  type        = string
}

variable "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster, with or without the https:// prefix (output cluster_oidc_issuer_url of the cluster module)."
  type        = string
}

variable "namespace" {
  description = "Kubernetes namespace of the service account allowed to assume the role."
  type        = string
  default     = "nimbus-signals"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.namespace))
    error_message = "The namespace must be a Kubernetes DNS label: lower case letters, digits and hyphens."
  }
}

variable "service_account" {
  description = "Name of the Kubernetes service account allowed to assume the role."
  type        = string
  default     = "nimbus-signals"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", var.service_account))
    error_message = "The service_account must be a Kubernetes object name: lower case letters, digits, '-' and '.'."
  }
}

variable "max_session_duration_seconds" {
  description = "Maximum session length of the assumed role, in seconds (3600 to 43200)."
  type        = number
  default     = 3600
}

variable "tags" {
  description = "Tags added to every resource the module creates, as a map of tag key to value."
  type        = map(string)
  default     = {}
}
