package app

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"

	"github.com/cosmos/cosmos-sdk/client/docs"
	"github.com/cosmos/cosmos-sdk/server/api"

	"github.com/mindnet/mindnet/api/openapi"
)

// OpenAPIPath is where the node's API server serves the OpenAPI document of Mindnet's REST routes.
const OpenAPIPath = MindnetRESTPrefix + "openapi.json"

// SwaggerUIPath is where the node's API server serves a browsable page of the API.
const SwaggerUIPath = "/swagger/"

// registerOpenAPIRoutes serves the OpenAPI document of Mindnet's routes and, at /swagger/, a Swagger UI
// page over it, built from the Swagger UI files that the Cosmos SDK embeds in every node (nothing is
// fetched from the network). The page lists the SDK's own document too when the API server's swagger
// option is on. The SDK alone answers /swagger/ only with that option on, and 501 without it. Both
// routes go before the gateway's /mindnet/ prefix, which would otherwise take the document's path.
func registerOpenAPIRoutes(apiSvr *api.Server, withSDK bool) error {
	rtr := apiSvr.Router
	rtr.HandleFunc(OpenAPIPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(openapi.Document)
	}).Methods(http.MethodGet, http.MethodHead)

	assets, err := fs.Sub(docs.SwaggerUI, "swagger-ui")
	if err != nil {
		return err
	}
	var page bytes.Buffer
	if err := swaggerPage.Execute(&page, struct{ WithSDK bool }{withSDK}); err != nil {
		return err
	}
	files := http.StripPrefix(SwaggerUIPath, http.FileServer(http.FS(assets)))
	rtr.Handle(SwaggerUIPath[:len(SwaggerUIPath)-1], http.RedirectHandler(SwaggerUIPath, http.StatusMovedPermanently))
	rtr.PathPrefix(SwaggerUIPath).HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch name := r.URL.Path[len(SwaggerUIPath):]; {
		case name == "" || name == "index.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(page.Bytes())
		case name == "swagger.yaml" && !withSDK:
			http.NotFound(w, r)
		default:
			files.ServeHTTP(w, r)
		}
	})
	return nil
}

// swaggerPage is the SDK's Swagger UI page with Mindnet's document first and, when asked, the SDK's.
var swaggerPage = template.Must(template.New("swagger").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <title>Mindnet REST API</title>
  <link rel="stylesheet" type="text/css" href="./swagger-ui.css">
  <link rel="icon" type="image/png" href="./favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="./swagger-ui-bundle.js" charset="UTF-8"></script>
  <script src="./swagger-ui-standalone-preset.js" charset="UTF-8"></script>
  <script>
    window.onload = function () {
      window.ui = SwaggerUIBundle({
        urls: [
          {url: "` + OpenAPIPath + `", name: "Mindnet"}{{if .WithSDK}},
          {url: "./swagger.yaml", name: "Cosmos SDK"}{{end}}
        ],
        dom_id: "#swagger-ui",
        deepLinking: true,
        presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
        layout: "StandaloneLayout"
      });
    };
  </script>
</body>
</html>
`))
