#!/usr/bin/env bash
# Install the Debian packages the project needs: mysqlclient builds against libmariadb-dev + pkg-config; tutor
# replies are spoken by espeak-ng.
# --production: only what the service runs on (no browser and driver for the browser test, no promtool).
set -euo pipefail
production=0
[ "${1:-}" = "--production" ] && production=1
missing=()
pkg-config --exists libmariadb 2>/dev/null || pkg-config --exists mysqlclient 2>/dev/null || missing+=(libmariadb-dev)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v gcc >/dev/null || missing+=(gcc)
command -v espeak-ng >/dev/null || missing+=(espeak-ng)  # speech for tutor replies
if [ "$production" = 0 ]; then
  command -v chromium >/dev/null || missing+=(chromium)  # the browser test of the teacher report page
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v promtool >/dev/null || missing+=(prometheus)  # promtool checks deploy/prometheus.yml
fi
command -v nginx >/dev/null || missing+=(nginx)  # the reverse proxy that make deploy-check runs (deploy/nginx/)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "Missing Debian packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})" >&2
  exit 1
fi
SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
echo "Installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
