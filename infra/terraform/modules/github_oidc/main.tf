# Lets GitHub Actions workflows of one repository assume IAM roles through OpenID Connect, so CI
# stores no long-lived AWS keys. The push role can write images to one ECR repository and nothing
# else; the optional plan role can read, for terraform plan on pull requests.
data "aws_partition" "current" {}

locals {
  token_host        = "token.actions.githubusercontent.com"
  oidc_provider_arn = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : var.existing_oidc_provider_arn
  push_subjects     = [for ref in var.push_refs : "repo:${var.github_repository}:ref:${ref}"]
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 1 : 0

  url            = "https://${local.token_host}"
  client_id_list = ["sts.amazonaws.com"]
  # IAM trusts GitHub's OIDC endpoint through its own root CAs and ignores these values, but the
  # API still requires the argument. They are GitHub's published intermediate certificate thumbprints.
  thumbprint_list = [
    "6938fd4d98bab03faadb97b34396831e3780aea1",
    "1c58a3a8518e8759bf075b76b750d4f2df264fcd",
  ]

  tags = var.tags
}

data "aws_iam_policy_document" "push_trust" {
  statement {
    sid     = "GitHubActionsOnPushRefs"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.token_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "${local.token_host}:sub"
      values   = local.push_subjects
    }
  }
}

data "aws_iam_policy_document" "push" {
  # GetAuthorizationToken has no resource-level permissions, so it needs "*".
  statement {
    sid       = "EcrLogin"
    effect    = "Allow"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid    = "EcrPushOneRepository"
    effect = "Allow"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:DescribeImageScanFindings",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [var.ecr_repository_arn]
  }
}

resource "aws_iam_role" "push" {
  name                 = var.push_role_name
  description          = "GitHub Actions in ${var.github_repository} push images to one ECR repository"
  assume_role_policy   = data.aws_iam_policy_document.push_trust.json
  max_session_duration = 3600

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.create_oidc_provider || startswith(var.existing_oidc_provider_arn, "arn:")
      error_message = "Set existing_oidc_provider_arn to the ARN of the account's GitHub OIDC provider when create_oidc_provider is false."
    }
  }
}

resource "aws_iam_role_policy" "push" {
  name   = "ecr-push"
  role   = aws_iam_role.push.id
  policy = data.aws_iam_policy_document.push.json
}

data "aws_iam_policy_document" "plan_trust" {
  count = var.create_plan_role ? 1 : 0

  statement {
    sid     = "GitHubActionsPullRequests"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.token_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.token_host}:sub"
      values   = ["repo:${var.github_repository}:pull_request"]
    }
  }
}

data "aws_iam_policy_document" "plan_state" {
  count = var.create_plan_role ? 1 : 0

  statement {
    sid       = "ReadState"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [var.state_bucket_arn, "${var.state_bucket_arn}/*"]
  }

  # terraform plan takes and releases the state lock.
  statement {
    sid       = "StateLock"
    effect    = "Allow"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable"]
    resources = [var.lock_table_arn]
  }
}

resource "aws_iam_role" "plan" {
  count = var.create_plan_role ? 1 : 0

  name                 = var.plan_role_name
  description          = "GitHub Actions pull requests in ${var.github_repository} run terraform plan"
  assume_role_policy   = data.aws_iam_policy_document.plan_trust[0].json
  max_session_duration = 3600

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "plan_read_only" {
  count = var.create_plan_role ? 1 : 0

  role       = aws_iam_role.plan[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role_policy" "plan_state" {
  count = var.create_plan_role ? 1 : 0

  name   = "terraform-state"
  role   = aws_iam_role.plan[0].id
  policy = data.aws_iam_policy_document.plan_state[0].json

  lifecycle {
    precondition {
      condition     = startswith(var.state_bucket_arn, "arn:") && startswith(var.lock_table_arn, "arn:")
      error_message = "The plan role needs state_bucket_arn and lock_table_arn; set both, or set create_plan_role = false."
    }
  }
}
