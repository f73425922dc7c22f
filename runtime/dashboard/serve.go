package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// ShutdownGrace is how long Serve lets open requests finish once its
// context is done.
const ShutdownGrace = 5 * time.Second

// Serve serves h on lis until ctx is done, then shuts the server down,
// giving open requests ShutdownGrace to finish. It returns nil after a
// shutdown that ctx asked for, or the error that stopped serving. For TLS,
// pass a listener from tls.NewListener; the session cookie is then marked
// Secure.
//
// The server bounds how long a client may take to send its headers and
// request, so a slow client cannot hold connections open on the head.
func Serve(ctx context.Context, lis net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      SourceTimeout + 20*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(lis) }()
	select {
	case err := <-errc:
		return fmt.Errorf("dashboard: serving on %s: %w", lis.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close() // requests still open after the grace period are cut off
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("dashboard: serving on %s: %w", lis.Addr(), err)
	}
	return nil
}
