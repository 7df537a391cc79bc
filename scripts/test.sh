#!/usr/bin/env bash
# The one test command (README quick start, CI): installs what the tests need, then checks and tests everything.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests use, as "file:debian-package". The browser may be another Chromium (CHROMIUM_PATH),
# the Redis another redis-server (REDIS_SERVER_PATH); the tests start and stop their own Redis.
SYSTEM_NEEDS=("${CHROMIUM_PATH:-/usr/bin/chromium}:chromium" "${REDIS_SERVER_PATH:-/usr/bin/redis-server}:redis-server")

missing=()
for need in "${SYSTEM_NEEDS[@]}"; do
  [ -x "${need%%:*}" ] || missing+=("${need#*:}")
done
if ((${#missing[@]} > 0)); then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages the tests need: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "The tests need these system packages: ${missing[*]}" >&2
    echo "Install them as root (sudo apt-get install -y ${missing[*]}) and run this again." >&2
    exit 2
  fi
fi

# npm packages, including the Node 24 that every npm script then runs on.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

npm run --silent typecheck
npm run --silent lint
npm run --silent schema -- --check
# The actions' bundles in dist/ must be what the sources give (run `npm run bundle` and commit dist/).
npm run --silent bundle -- --check
npm test
