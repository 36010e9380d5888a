#!/usr/bin/env bash
# Installs Neovim (Debian package `neovim`) for the language-server test with a real client
# (test/unit/lsp-neovim.test.ts) when it is missing. As root it runs apt-get; otherwise it fails with the command
# to run — the test never skips silently. Prints the path of nvim on stdout; progress goes to stderr.
set -euo pipefail
exec 3>&1 1>&2
if ! command -v nvim >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-neovim: nvim is missing (run as root, or: sudo apt-get install neovim)"
    exit 1
  fi
  echo "setup-neovim: apt-get install neovim"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends neovim >/dev/null
fi
command -v nvim >&3
