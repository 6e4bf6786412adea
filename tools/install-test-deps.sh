#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK, only when it is missing (safe to run again and again).
# .ci/run calls it before `dotnet test`. Today: Debian's Chromium, which tests/SmartChain.Explorer.Tests drives
# headless through Playwright for .NET (Playwright's own browser download is never used).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "install-test-deps: chromium present ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-deps: /usr/bin/chromium is missing; run this script as root (it uses apt-get)" >&2
  exit 1
fi

echo "install-test-deps: installing chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q chromium
/usr/bin/chromium --version
