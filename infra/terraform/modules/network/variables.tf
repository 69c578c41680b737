variable "name" {
  description = "Name prefix for the VPC and its subnets, e.g. \"nimbus-dev\". Lower case letters, digits and hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}$", var.name))
    error_message = "The name must be 2 to 39 lower case letters, digits or hyphens, starting with a letter."
  }
}

variable "cluster_name" {
  description = "Name of the EKS cluster that will use this VPC. Subnets are tagged with it so the AWS Load Balancer Controller can discover them."
  type        = string
}

variable "cidr" {
  description = "IPv4 CIDR block of the VPC, e.g. \"10.20.0.0/16\". The module carves /20 private, /24 public and /24 intra subnets out of it, so use a /16."
  type        = string
  default     = "10.20.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr, 0)) && endswith(var.cidr, "/16")
    error_message = "The cidr must be a valid IPv4 /16 block such as 10.20.0.0/16."
  }
}

variable "az_count" {
  description = "Number of availability zones to spread subnets over (2 or 3). EKS needs at least two."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "The az_count must be 2 or 3."
  }
}

variable "single_nat_gateway" {
  description = "true: one NAT gateway for all private subnets (cheaper, one zone is a single point of failure for egress). false: one NAT gateway per zone."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource the module creates, as a map of tag key to value."
  type        = map(string)
  default     = {}
}
