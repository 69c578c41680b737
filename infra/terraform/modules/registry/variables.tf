variable "repository_name" {
  description = "Name of the ECR repository, e.g. \"nimbus-signals\". Lower case letters, digits, and . _ - / separators."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", var.repository_name))
    error_message = "The repository_name must follow ECR naming: lower case letters and digits, separated by '.', '_', '-' or '/'."
  }
}

variable "keep_tagged_images" {
  description = "Number of most recent tagged images the lifecycle policy keeps; older tagged images expire."
  type        = number
  default     = 50
}

variable "untagged_image_expiry_days" {
  description = "Days after which untagged images (superseded manifests, build cache layers) expire."
  type        = number
  default     = 7
}

variable "force_delete" {
  description = "true lets terraform destroy delete the repository while it still holds images. Convenient in dev, dangerous in prod."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource the module creates, as a map of tag key to value."
  type        = map(string)
  default     = {}
}
