# The IAM role behind the service's Kubernetes service account (IRSA). Only that one service
# account, through the cluster's OIDC provider, may assume it.
#
# The role has no permission policies: Nimbus Signals calls no AWS API. It exists so the pod has
# an AWS identity of its own rather than the node's, and any future permission is added here on
# purpose rather than inherited.
locals {
  issuer_host_path = trimprefix(var.oidc_issuer_url, "https://")
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "ServiceAccountWebIdentity"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer_host_path}:sub"
      values   = ["system:serviceaccount:${var.namespace}:${var.service_account}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer_host_path}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.role_name
  description          = "IRSA role of ${var.namespace}/${var.service_account}; no AWS API permissions"
  assume_role_policy   = data.aws_iam_policy_document.assume_role.json
  max_session_duration = var.max_session_duration_seconds

  tags = var.tags
}
