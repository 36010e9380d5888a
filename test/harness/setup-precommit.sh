#!/usr/bin/env bash
# Makes sure the real `pre-commit` tool is installed for test/unit/precommit.test.ts (Debian package
# `pre-commit`, with git). Installs it with apt-get when it is missing and we are root; otherwise fails with the
# command to run (the test never skips silently). Prints the path of pre-commit on stdout; progress on stderr.
set -euo pipefail
exec 3>&1 1>&2
pkgs=()
command -v pre-commit >/dev/null 2>&1 || pkgs+=(pre-commit)
command -v git >/dev/null 2>&1 || pkgs+=(git)
if [ ${#pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-precommit: missing system packages: ${pkgs[*]} (run as root, or: sudo apt-get install ${pkgs[*]})"
    exit 1
  fi
  echo "setup-precommit: apt-get install ${pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi
command -v pre-commit >&3
