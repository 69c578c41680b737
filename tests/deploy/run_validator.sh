#!/usr/bin/env bash
# Runs one deploy/validate script with node, or exits 77 (skipped) when the pinned npm packages
# are not installed, naming the command that installs them.
# Usage: run_validator.sh NODE SCRIPT [ARGS...]
set -euo pipefail

node=$1
script=$2
shift 2
validate_dir=$(dirname "$script")

if [[ ! -f $validate_dir/node_modules/.package-lock.sha256 ]]; then
  echo "SKIP: the npm validators are not installed in $validate_dir/node_modules;" \
    "run scripts/validate-deploy.sh --install-only"
  exit 77
fi
exec "$node" "$script" "$@"
