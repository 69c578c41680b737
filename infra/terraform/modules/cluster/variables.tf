variable "cluster_name" {
  description = "Name of the EKS cluster, e.g. \"nimbus-dev\". Lower case letters, digits and hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,99}$", var.cluster_name))
    error_message = "The cluster_name must be 2 to 100 lower case letters, digits or hyphens, starting with a letter."
  }
}

variable "kubernetes_version" {
  description = "EKS Kubernetes minor version as \"MAJOR.MINOR\", e.g. \"1.31\"."
  type        = string
  default     = "1.31"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "The kubernetes_version must look like 1.31."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the cluster runs in (output vpc_id of the network module)."
  type        = string
}

variable "node_subnet_ids" {
  description = "IDs of the private subnets for the managed node groups, at least two zones."
  type        = list(string)
}

variable "control_plane_subnet_ids" {
  description = "IDs of the subnets for the EKS control plane's network interfaces (the intra subnets)."
  type        = list(string)
}

variable "endpoint_public_access_cidrs" {
  description = "IPv4 CIDR blocks allowed to reach the public Kubernetes API endpoint, e.g. [\"203.0.113.0/24\"]. An empty list makes the endpoint private only."
  type        = list(string)
  default     = []
}

variable "node_instance_types" {
  description = "EC2 instance types for the default managed node group, in order of preference, e.g. [\"t3.medium\"]."
  type        = list(string)
  default     = ["t3.medium"]
}

variable "node_capacity_type" {
  description = "ON_DEMAND or SPOT. SPOT costs less and nodes can be reclaimed with two minutes' notice."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.node_capacity_type)
    error_message = "The node_capacity_type must be ON_DEMAND or SPOT."
  }
}

variable "node_min_size" {
  description = "Minimum number of nodes in the default managed node group."
  type        = number
  default     = 2
}

variable "node_max_size" {
  description = "Maximum number of nodes in the default managed node group."
  type        = number
  default     = 3
}

variable "node_desired_size" {
  description = "Number of nodes at creation. Later changes are ignored by the EKS module so that an autoscaler can own the count."
  type        = number
  default     = 2
}

variable "node_disk_size_gib" {
  description = "Root EBS volume size of each node, in GiB."
  type        = number
  default     = 30
}

variable "log_retention_days" {
  description = "Days to keep the control plane logs (api, audit, authenticator) in CloudWatch Logs."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource the module creates, as a map of tag key to value."
  type        = map(string)
  default     = {}
}
