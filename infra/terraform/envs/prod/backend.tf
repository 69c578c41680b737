# State in S3 with DynamoDB locking. The bucket name contains the account id, so it is passed at
# init time rather than written here:
#   terraform init -backend-config="bucket=nimbus-tfstate-<account id>"
# docs/deploy.md creates the bucket and the lock table.
terraform {
  backend "s3" {
    key            = "nimbus-signals/prod/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "nimbus-terraform-locks"
    encrypt        = true
  }
}
