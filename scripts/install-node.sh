#!/bin/sh
# Installs the Node.js the project needs (package.json `engines`) when the
# machine's is older: the official build for this Linux arch, as the npm
# registry carries it (`node-linux-<arch>`, integrity checked by npm), into
# $PREFIX/lib/node-<version> with `node` linked into $PREFIX/bin.
# Usage: scripts/install-node.sh [PREFIX]   (default /usr/local; needs write access)
set -eu
VERSION=24.22.3
MAJOR=${VERSION%%.*}
PREFIX=${1:-/usr/local}

have=$(node -p 'process.versions.node' 2>/dev/null || echo 0)
old=$(command -v node || true)
if [ "${have%%.*}" -ge "$MAJOR" ] 2>/dev/null; then
  echo "Node $have is here (the project needs $MAJOR or newer); nothing to install."
  exit 0
fi

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "no Node $MAJOR build for $(uname -m) in the npm registry; install Node $MAJOR by other means" >&2; exit 1 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "Installing Node $VERSION ($arch) into $PREFIX (the machine has ${have})..."
(cd "$work" && npm pack --silent "node-linux-$arch@$VERSION" >/dev/null)
mkdir -p "$PREFIX/lib/node-$VERSION" "$PREFIX/bin"
tar -xzf "$work/node-linux-$arch-$VERSION.tgz" -C "$PREFIX/lib/node-$VERSION" --strip-components=1
ln -sf "$PREFIX/lib/node-$VERSION/bin/node" "$PREFIX/bin/node"
echo "Node $("$PREFIX/bin/node" --version) at $PREFIX/bin/node"
if [ -n "$old" ] && [ "$old" != "$PREFIX/bin/node" ]; then echo "the older $old stays; $PREFIX/bin must come before $(dirname "$old") on PATH"; fi
