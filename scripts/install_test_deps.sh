#!/usr/bin/env bash
# Install the system pieces the test suite needs, from Debian's packages, when missing:
#   chromium (browser tier), postgresql and mariadb-server (only when no server runs on
#   127.0.0.1 and no binaries exist to start a throwaway one).
# As root this installs them; otherwise it prints what is missing and the tests that need them
# skip locally (in CI, CI=true, they fail instead: CI must test for real).
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! port_open 5432 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need+=(postgresql)
fi
if ! port_open 3306 && ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
  need+=(mariadb-server)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install_test_deps: not root; missing: ${need[*]} (their tests will skip)" >&2
  exit 0
fi
echo "install_test_deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
