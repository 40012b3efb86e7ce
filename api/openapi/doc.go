// Package openapi holds the OpenAPI (v2) document of the REST routes that every Mindnet node serves
// under /mindnet/ (x/subnet, x/weights, x/emission), as scripts/protocgen.sh generates it from the
// protos with grpc-gateway v2's protoc-gen-openapiv2. It is generated, committed and checked by
// `make proto-check` like the code next to it; the node serves it at /mindnet/openapi.json.
package openapi
