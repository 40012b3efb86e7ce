// Command openapi finishes the OpenAPI document that protoc-gen-openapiv2 merges from every chain
// module's protos, for scripts/protocgen.sh: it gives the document its title and a description of the
// status codes, and makes each operation id unique across modules (the generator names every one
// Query_<Method>, so the Params of three modules would collide) as <Module><Method>, for example
// SubnetMetagraph. It writes indented JSON with sorted keys, so that the output is the same on every
// machine and `make proto-check` can compare it.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

const description = `REST routes of Mindnet's chain modules (x/subnet, x/weights, x/emission), served by every
node's API server next to the Cosmos SDK's own routes. Each route is a gRPC query of the same name
(grpc-gateway v2); field names are as in the .proto files, 64-bit integers and amounts are strings.

Errors answer a google.rpc.Status body ({"code", "message", "details"}) with the HTTP status of its
gRPC code: 400 (InvalidArgument) for malformed input such as a bad address or a number out of range,
404 (NotFound) for an unknown netuid, UID, hotkey or commit, 412 (FailedPrecondition) where the
chain's state forbids the question, 500 (Internal) only for a fault of the node. The message says
what to do next.`

func main() {
	in := flag.String("in", "", "the merged document protoc-gen-openapiv2 wrote")
	out := flag.String("out", "", "where to write the finished document")
	flag.Parse()
	if *in == "" || *out == "" {
		log.Fatal("usage: openapi -in GENERATED.json -out DOCUMENT.json")
	}
	raw, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	doc, err := finish(raw)
	if err != nil {
		log.Fatalf("%s: %v", *in, err)
	}
	if err := os.WriteFile(*out, doc, 0o644); err != nil {
		log.Fatal(err)
	}
}

func finish(raw []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	doc["info"] = map[string]any{"title": "Mindnet REST API", "version": "v1", "description": description}
	paths, _ := doc["paths"].(map[string]any)
	seen := map[string]string{}
	for path, item := range paths {
		ops, _ := item.(map[string]any)
		for method, o := range ops {
			op, ok := o.(map[string]any)
			if !ok {
				continue
			}
			id, err := operationID(op)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, path, err)
			}
			if other, dup := seen[id]; dup {
				return nil, fmt.Errorf("operation id %s of %s %s is also that of %s", id, method, path, other)
			}
			seen[id] = method + " " + path
			op["operationId"] = id
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// operationID names an operation after its module (from the tag mindnet.<module>.v1.Query) and its
// method (from the generator's id Query_<Method>).
func operationID(op map[string]any) (string, error) {
	tags, _ := op["tags"].([]any)
	if len(tags) != 1 {
		return "", fmt.Errorf("want one tag mindnet.<module>.<version>.<Service>, got %v", tags)
	}
	tag, _ := tags[0].(string)
	parts := strings.Split(tag, ".")
	if len(parts) != 4 || parts[0] != "mindnet" {
		return "", fmt.Errorf("tag %q is not mindnet.<module>.<version>.<Service>", tag)
	}
	id, _ := op["operationId"].(string)
	method, ok := strings.CutPrefix(id, parts[3]+"_")
	if !ok || method == "" {
		return "", fmt.Errorf("operation id %q is not %s_<Method>", id, parts[3])
	}
	r, size := utf8.DecodeRuneInString(parts[1])
	return string(unicode.ToUpper(r)) + parts[1][size:] + method, nil
}
