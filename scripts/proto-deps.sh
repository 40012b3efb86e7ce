#!/usr/bin/env bash
# Copies the third-party .proto files that Mindnet's protos import into .proto-deps/, taking each from
# the Go module cache at the version go.mod pins. Needs only the Go module proxy, never a buf registry.
set -euo pipefail
cd "$(dirname "$0")/.."

out=.proto-deps
rm -rf "$out"
mkdir -p "$out"

moddir() { go mod download -json "$1" >/dev/null && go list -m -f '{{.Dir}}' "$1"; }

sdk=$(moddir github.com/cosmos/cosmos-sdk)
gogo=$(moddir github.com/cosmos/gogoproto)
cosmosproto=$(moddir github.com/cosmos/cosmos-proto)
gateway=$(moddir github.com/grpc-ecosystem/grpc-gateway)

cp -r "$sdk/proto/cosmos" "$sdk/proto/amino" "$out/"
mkdir -p "$out/gogoproto" "$out/cosmos_proto" "$out/google/api"
cp "$gogo/gogoproto/gogo.proto" "$out/gogoproto/"
cp "$cosmosproto/proto/cosmos_proto/cosmos.proto" "$out/cosmos_proto/"
cp "$gateway/third_party/googleapis/google/api/annotations.proto" \
   "$gateway/third_party/googleapis/google/api/http.proto" "$out/google/api/"
# The module cache is read-only; buf does not need write access, but rm -rf of a later run does.
chmod -R u+w "$out"
echo "proto deps ready in $out (cosmos-sdk $(basename "$sdk"), gogoproto $(basename "$gogo"))"
