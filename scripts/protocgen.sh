#!/usr/bin/env bash
# Regenerates every Go file made from proto/: gogoproto chain types next to each module
# (x/<module>/types) and protobuf-v2 API types with gRPC clients and grpc-gateway v2 handlers under
# api/, and the OpenAPI document of the node's REST routes (api/openapi/openapi.json). Runs on a fresh
# machine that reaches only the Go module proxy: the generators are built from the versions pinned in
# go.mod and tools/go.mod, and third-party .proto files come from the module cache.
set -euo pipefail
cd "$(dirname "$0")/.."

tools=build/tools
mkdir -p "$tools"
echo "building code generators into $tools"
go build -o "$tools/" \
  github.com/cosmos/gogoproto/protoc-gen-gocosmos \
  google.golang.org/protobuf/cmd/protoc-gen-go \
  github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-grpc-gateway \
  github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2
(cd tools && go build -o "../$tools/" github.com/bufbuild/buf/cmd/buf google.golang.org/grpc/cmd/protoc-gen-go-grpc)

./scripts/proto-deps.sh

gen=.proto-gen
rm -rf "$gen"
# Chain modules get gogoproto types; the axon protocol is off chain and needs only the API types.
chain_protos=()
for dir in proto/mindnet/*/; do
  [ "$(basename "$dir")" = axon ] || chain_protos+=(--path "${dir%/}")
done
echo "generating gogoproto chain types"
"$tools/buf" generate --template proto/buf.gen.gogo.yaml "${chain_protos[@]}"
echo "generating API types, gRPC clients and grpc-gateway v2 handlers"
"$tools/buf" generate --template proto/buf.gen.api.yaml --path proto/mindnet
# The node serves the chain modules' routes; the axon protocol is the miner's, not the node's.
echo "generating the OpenAPI document of the node's REST routes"
"$tools/buf" generate --template proto/buf.gen.openapi.yaml "${chain_protos[@]}"

# Chain types land in the package their go_package names (github.com/mindnet/mindnet/x/...).
for dir in x api; do
  if [ -d "$dir" ]; then find "$dir" \( -name '*.pb.go' -o -name '*.pb.gw.go' \) -delete; fi
done
cp -r "$gen/gogo/github.com/mindnet/mindnet/." ./
cp -r "$gen/api/github.com/mindnet/mindnet/." ./
go run ./scripts/openapi -in "$gen/openapi/mindnet.swagger.json" -out api/openapi/openapi.json
rm -rf "$gen"
echo "done: $(find x api -name '*.pb*.go' | wc -l) generated files"
