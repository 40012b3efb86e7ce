package openapi

import _ "embed"

// Document is the OpenAPI document, as JSON.
//
//go:embed openapi.json
var Document []byte
