variable "region" {
  description = "AWS region for every resource of this environment, e.g. \"eu-west-1\". The backend region in backend.tf is separate."
  type        = string
  default     = "eu-west-1"
}

variable "github_repository" {
  description = "GitHub repository whose workflows push images and run plans, as \"OWNER/NAME\"."
  type        = string
  default     = "example-org/nimbus-signals"
}

variable "state_bucket_name" {
  description = "Name of the S3 bucket that holds the Terraform state (the bucket passed to terraform init), e.g. \"nimbus-tfstate-EXAMPLE\"."
  type        = string
}

variable "lock_table_name" {
  description = "Name of the DynamoDB table that holds the Terraform state locks."
  type        = string
  default     = "nimbus-terraform-locks"
}

variable "endpoint_public_access_cidrs" {
  description = "IPv4 CIDR blocks allowed to reach the Kubernetes API, e.g. your office egress [\"203.0.113.0/24\"]. Empty makes the API private to the VPC."
  type        = list(string)
  default     = []
}

variable "node_instance_types" {
  description = "EC2 instance types of the dev nodes. t3.medium (2 vCPU, 4 GiB) fits the service, Prometheus and Argo CD at dev scale."
  type        = list(string)
  default     = ["t3.medium"]
}

variable "owner" {
  description = "Value of the owner tag on every resource: a team or an email address that answers for the cost."
  type        = string
  default     = "platform-team"
}
