// Package server is yingji-server: the plan as an HTTP service with a
// durable event store. Its API contract is the OpenAPI 3.1 document
// embedded here and served at /openapi.json; the program is
// cmd/yingji-server.
package server

import _ "embed"

// OpenAPI is the API v1 contract (OpenAPI 3.1, JSON).
//
//go:embed openapi.json
var OpenAPI []byte
