variable "region" {
  description = "AWS region for every resource of this environment, e.g. \"eu-west-1\". The backend region in backend.tf is separate."
  type        = string
  default     = "eu-west-1"
}

variable "endpoint_public_access_cidrs" {
  description = "IPv4 CIDR blocks allowed to reach the Kubernetes API, e.g. your office egress [\"203.0.113.0/24\"]. Empty makes the API private to the VPC."
  type        = list(string)
  default     = []
}

variable "node_instance_types" {
  description = "EC2 instance types of the prod nodes. t3.large (2 vCPU, 8 GiB) leaves room for Prometheus with 15 days of retention."
  type        = list(string)
  default     = ["t3.large"]
}

variable "owner" {
  description = "Value of the owner tag on every resource: a team or an email address that answers for the cost."
  type        = string
  default     = "platform-team"
}
