provider "aws" {
  region = var.region

  # Every taggable resource gets these, including those made inside community modules.
  default_tags {
    tags = local.tags
  }
}
