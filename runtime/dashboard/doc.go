// Package dashboard is the cluster head's web dashboard: one HTML page and
// one JSON endpoint showing the cluster's nodes, resources, tasks by state,
// objects and object-store usage, actors and jobs.
//
// # Place in Shoal
//
// The dashboard sits at the edge of the runtime, beside runtime/cluster. It
// imports no other Shoal package: the head's global control store builds a
// [Snapshot] (plain structs) and hands the dashboard a function returning
// one; the dashboard only authenticates, serialises and renders. A test
// fails if that changes.
//
// # Endpoints
//
// [New] returns an http.Handler serving
//
//	GET /             a self-contained page (inline CSS and JS, no external
//	                  assets) that polls api/status and renders it in tables
//	GET /api/status   the current Snapshot as JSON
//
// and [Serve] runs it on a listener with timeouts fit for a server on the
// head until its context ends.
//
// # Security
//
// Ray's dashboard is open to anyone who can reach its port (CVE-2023-48022,
// "ShadowRay"); Shoal's requires the cluster token on every request. A
// client presents it as "Authorization: Bearer <token>", or a browser opens
// the URL that `shoal start --head` prints, /?token=<token>, once: the
// dashboard answers with an HttpOnly, SameSite=Strict session cookie and a
// redirect to the same page without the token, so the token leaves the
// address bar and the history. The cookie holds an HMAC of the token, not
// the token: a leaked cookie opens the dashboard, not the cluster's RPCs.
// Tokens are compared in constant time. Pages are sent with a
// Content-Security-Policy that lets only the page's own inline script and
// style run and lets the script talk only to its own origin, and the page
// writes every value with textContent, so names chosen by users (actors,
// jobs) cannot inject markup.
package dashboard
