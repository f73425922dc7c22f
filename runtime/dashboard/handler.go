package dashboard

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// CookieName is the session cookie set by the /?token= flow.
const CookieName = "shoal_dashboard"

// SourceTimeout bounds one call of the snapshot source, so a stuck control
// store cannot pile up requests (the page polls every few seconds).
const SourceTimeout = 10 * time.Second

// The message pages and API errors give a visitor without a valid token.
const unauthorizedMessage = "Unauthorized: the Shoal dashboard requires the cluster token. " +
	"Open the dashboard URL printed by 'shoal start --head' " +
	"(http://127.0.0.1:8265/?token=...)."

type handler struct {
	tokenSum [sha256.Size]byte // of the token, so comparisons take equal time whatever the lengths
	session  string            // the cookie value: hex HMAC-SHA256 of a fixed label, keyed by the token
	hasToken bool
	source   func(context.Context) (Snapshot, error)
}

// New returns the dashboard's handler. token is the cluster token every
// request must carry (see the package comment); an empty token makes the
// handler refuse every request with 500, since a dashboard without one
// would be open to all. source is called once per /api/status request, with
// the request's context bounded by SourceTimeout, possibly from many
// goroutines at once; its error is shown to the client with status 503.
//
// The handler serves GET and HEAD only. It is safe for concurrent use.
func New(token string, source func(context.Context) (Snapshot, error)) http.Handler {
	mac := hmac.New(sha256.New, []byte(token))
	mac.Write([]byte("shoal dashboard session v1"))
	return &handler{
		tokenSum: sha256.Sum256([]byte(token)),
		session:  hex.EncodeToString(mac.Sum(nil)),
		hasToken: token != "",
		source:   source,
	}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("X-Frame-Options", "DENY")
	// The token may be in this URL; never send it on as a Referer.
	hdr.Set("Referrer-Policy", "no-referrer")

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		h.fail(w, r, http.StatusMethodNotAllowed, fmt.Sprintf("dashboard: method %s not allowed; use GET", r.Method))
		return
	}
	if !h.hasToken {
		h.fail(w, r, http.StatusInternalServerError, "dashboard: no cluster token configured; refusing every request")
		return
	}
	if q := r.URL.Query(); q.Has("token") {
		if !h.tokenMatches(q.Get("token")) {
			h.unauthorized(w, r)
			return
		}
		http.SetCookie(w, &http.Cookie{
			Name:     CookieName,
			Value:    h.session,
			Path:     "/",
			HttpOnly: true,
			Secure:   r.TLS != nil,
			SameSite: http.SameSiteStrictMode,
		})
		q.Del("token")
		target := r.URL.Path
		if enc := q.Encode(); enc != "" {
			target += "?" + enc
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return
	}
	if !h.authorized(r) {
		h.unauthorized(w, r)
		return
	}
	switch r.URL.Path {
	case "/":
		hdr.Set("Content-Security-Policy", pageCSP)
		hdr.Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(pageHTML)
	case "/api/status":
		h.status(w, r)
	default:
		h.fail(w, r, http.StatusNotFound, fmt.Sprintf("dashboard: no page %q", r.URL.Path))
	}
}

// authorized reports whether r carries the token. An Authorization header,
// when present, decides alone: a wrong bearer token is refused even beside a
// valid cookie, since the client said which credential it means.
func (h *handler) authorized(r *http.Request) bool {
	if auth := r.Header.Get("Authorization"); auth != "" {
		const scheme = "Bearer "
		if len(auth) < len(scheme) || !strings.EqualFold(auth[:len(scheme)], scheme) {
			return false
		}
		return h.tokenMatches(strings.TrimSpace(auth[len(scheme):]))
	}
	c, err := r.Cookie(CookieName)
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(c.Value), []byte(h.session)) == 1
}

func (h *handler) tokenMatches(got string) bool {
	sum := sha256.Sum256([]byte(got))
	return subtle.ConstantTimeCompare(sum[:], h.tokenSum[:]) == 1
}

func (h *handler) status(w http.ResponseWriter, r *http.Request) {
	if h.source == nil {
		h.fail(w, r, http.StatusServiceUnavailable, "dashboard: no status source configured")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), SourceTimeout)
	defer cancel()
	snap, err := h.source(ctx)
	if err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, fmt.Sprintf("dashboard: cluster status: %v", err))
		return
	}
	body, err := json.Marshal(snap.normalized())
	if err != nil {
		// Only a NaN or infinite resource amount gets here.
		h.fail(w, r, http.StatusInternalServerError, fmt.Sprintf("dashboard: encoding cluster status: %v", err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(append(body, '\n'))
}

func (h *handler) unauthorized(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="shoal dashboard"`)
	if isAPI(r) {
		h.fail(w, r, http.StatusUnauthorized, unauthorizedMessage)
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write(unauthorizedHTML)
}

// fail answers an error: JSON {"error": msg} under /api/, plain text
// elsewhere.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if isAPI(r) {
		body, _ := json.Marshal(struct {
			Error string `json:"error"`
		}{msg})
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = w.Write(append(body, '\n'))
		return
	}
	http.Error(w, msg, code)
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }
