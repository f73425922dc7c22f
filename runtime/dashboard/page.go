package dashboard

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"strings"
)

// The page is kept as three files for editing and joined once at start-up
// into one self-contained document.
var (
	//go:embed page.html
	pageTemplate string
	//go:embed page.css
	pageStyle string
	//go:embed page.js
	pageScript string
)

var (
	pageHTML = []byte(strings.NewReplacer("{{style}}", pageStyle, "{{script}}", pageScript).Replace(pageTemplate))
	// The policy names the hashes of the page's own inline style and script,
	// so nothing else (injected or external) can run or load, and the script
	// may fetch only from the dashboard's own origin.
	pageCSP = "default-src 'none'; " +
		"script-src " + cspHash(pageScript) + "; " +
		"style-src " + cspHash(pageStyle) + "; " +
		"connect-src 'self'; img-src 'self' data:; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

var unauthorizedHTML = []byte(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Shoal dashboard: unauthorized</title></head>
<body>
<h1>Unauthorized</h1>
<p id="message">` + unauthorizedMessage + `</p>
</body>
</html>
`)

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}
