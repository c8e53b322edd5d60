#!/usr/bin/env bash
# Runs every test of the portal on a fresh machine: installs what the tests need and is
# missing (Chromium for the browser tests, MailDev as the tests' SMTP server, docker-compose
# to check the compose file, the local .NET tools), builds with warnings as errors, then
# runs the whole suite.
#
#   ./scripts/test.sh                 everything
#   ./scripts/test.sh --filter NAME   only tests whose name contains NAME (dotnet test --filter)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "Need root to install: $*" >&2; exit 1
    fi
}

apt_updated=false
apt_install() {
    if [ "$apt_updated" = false ]; then
        as_root apt-get update -qq
        apt_updated=true
    fi
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
    log "Installing Chromium for the browser tests"
    apt_install chromium fonts-dejavu-core
fi

if ! command -v docker-compose >/dev/null; then
    log "Installing docker-compose (to validate docker-compose.yml; no engine is needed)"
    apt_install docker-compose
fi

if [ ! -x tests/tools/node_modules/.bin/maildev ]; then
    log "Installing MailDev (the SMTP server the e-mail tests send to)"
    npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error
fi

log "Checking docker-compose.yml"
docker-compose -f docker-compose.yml config -q
echo "docker-compose.yml is valid"

log "Restoring .NET tools and packages"
dotnet tool restore >/dev/null
dotnet restore SmartAccountPortal.sln --verbosity quiet

log "Building (warnings are errors)"
dotnet build SmartAccountPortal.sln --no-restore --configuration Release -warnaserror --verbosity quiet -nologo

log "Running the tests"
results="$(mktemp -d)"
set +e
dotnet test SmartAccountPortal.sln --no-build --configuration Release \
    --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@" 2>&1 | tee "$results/output.txt"
status=${PIPESTATUS[0]}
set -e

# One closing line that any reader of the log can count from.
summary=$(grep -E '^(Passed|Failed)!' "$results/output.txt" | tail -n 1 || true)
passed=$(sed -nE 's/.*Passed: +([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: +([0-9]+),.*/\1/p' <<<"$summary")
skipped=$(sed -nE 's/.*Skipped: +([0-9]+).*/\1/p' <<<"$summary")
if [ -d artifacts/screenshots ]; then
    echo "Browser screenshots: artifacts/screenshots/"
fi
if [ -n "$passed" ]; then
    echo "Tests: ${passed} passed, ${failed:-0} failed, ${skipped:-0} skipped"
    if [ "${skipped:-0}" != "0" ]; then
        echo "Skipped tests are not allowed." >&2
        status=1
    fi
    if [ "$passed" = "0" ]; then
        echo "No test ran." >&2
        status=1
    fi
else
    echo "No test summary found." >&2
    [ "$status" -ne 0 ] || status=1
fi
exit "$status"
