#!/usr/bin/env bash
# Validates the deployment files offline: Dockerfile lint, Kustomize rendering and schemas, Argo
# CD objects, Terraform parsing and policy, GitHub Actions lint. With --binary it also checks the
# runtime image's libraries and runs the binary with the dev overlay's args, env and config.
#
# Usage: scripts/validate-deploy.sh [--install-only] [--binary PATH]
#   --install-only  install the pinned npm validators (npm ci) when they are missing or stale,
#                   then stop. This is the only step that uses the network (the npm registry).
#   --binary PATH   also run the checks that need the built nimbus-signals binary.
#
# Needs Node.js 20 and npm, kubectl (for kubectl kustomize), python3, dpkg and objdump.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
validate_dir="$repo_root/deploy/validate"
stamp="$validate_dir/node_modules/.package-lock.sha256"

install_only=0
binary=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --install-only) install_only=1 ;;
    --binary)
      binary=${2:?"--binary needs a path to the nimbus-signals binary"}
      shift
      ;;
    *)
      echo "validate-deploy.sh: unknown argument '$1'; use --install-only or --binary PATH" >&2
      exit 64
      ;;
  esac
  shift
done

# npm ci wipes and reinstalls node_modules, so run it only when package-lock.json changed since
# the last install.
install_validators() {
  local wanted
  wanted=$(sha256sum "$validate_dir/package-lock.json" | cut -d' ' -f1)
  if [[ -f $stamp && $(cat "$stamp") == "$wanted" ]]; then
    return
  fi
  echo "validate-deploy: installing the npm validators (npm ci) in deploy/validate"
  (cd "$validate_dir" && npm ci --no-audit --no-fund)
  echo "$wanted" > "$stamp"
}

install_validators
if [[ $install_only == 1 ]]; then
  exit 0
fi

failed=()
run_check() {
  local name=$1
  shift
  echo "== $name"
  if ! "$@"; then
    failed+=("$name")
  fi
}

run_check dockerfile node "$validate_dir/dockerfile.mjs"
run_check kubernetes node "$validate_dir/kubernetes.mjs"
run_check terraform node "$validate_dir/terraform.mjs"
run_check workflows node "$validate_dir/workflows.mjs"
if command -v terraform >/dev/null; then
  # An empty CLI configuration keeps terraform from warning about a missing ~/.terraformrc.
  run_check terraform-fmt env TF_CLI_CONFIG_FILE=/dev/null terraform fmt -check -recursive -diff "$repo_root/infra/terraform"
fi
if [[ -n $binary ]]; then
  run_check runtime-libraries python3 "$repo_root/tests/deploy/check_runtime_libraries.py" \
    --binary "$binary" --dockerfile "$repo_root/Dockerfile"
  run_check consistency node "$validate_dir/consistency.mjs" --binary "$binary"
fi

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "validate-deploy: failed: ${failed[*]}" >&2
  exit 1
fi
echo "validate-deploy: all checks passed"
