#!/bin/sh
# Installs what the namespace tests (tests/SmartChain.Netns.Tests) and `smartchain netns` need on a fresh machine:
# iproute2 (`ip`). Nothing else: the bridge that shapes links is SmartChain's own user-space switch, so neither `tc`
# nor the kernel's netem module is required. Installs only if missing; needs root (as the tests do). Called by .ci/run.
set -eu
if command -v ip >/dev/null 2>&1; then
    echo "iproute2: present ($(ip -V))"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "iproute2 is missing and this is not root: install it with 'sudo apt-get install -y iproute2'" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends iproute2
ip -V
