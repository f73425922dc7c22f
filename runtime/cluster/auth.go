package cluster

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// TokenEnv is the environment variable that, when set, gives the cluster
// token and takes precedence over every token file.
const TokenEnv = "SHOAL_TOKEN"

// HeadToken returns the head's token: from $SHOAL_TOKEN, else from file if
// it exists, else a new one (32 random bytes, hex) written to file with mode
// 0600 (its directory created 0700). file may be empty only when
// $SHOAL_TOKEN is set.
func HeadToken(file string) (string, error) {
	if t := strings.TrimSpace(os.Getenv(TokenEnv)); t != "" {
		return t, nil
	}
	if file == "" {
		return "", fmt.Errorf("%w: set %s or give a token file", ErrNoToken, TokenEnv)
	}
	if t, err := readToken(file); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return t, err
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("cluster: generating a token: %w", err)
	}
	tok := hex.EncodeToString(b[:])
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return "", fmt.Errorf("cluster: token file %s: %w", file, err)
	}
	// Written to a temporary file and linked into place: two heads starting
	// at once must not overwrite each other's token, nor read a file still
	// being written; the loser of the link reads the winner's.
	f, err := os.CreateTemp(filepath.Dir(file), ".token-*")
	if err != nil {
		return "", fmt.Errorf("cluster: token file %s: %w", file, err)
	}
	defer os.Remove(f.Name())
	_, err = f.WriteString(tok + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("cluster: token file %s: %w", file, err)
	}
	if err := os.Link(f.Name(), file); errors.Is(err, fs.ErrExist) {
		return readToken(file)
	} else if err != nil {
		return "", fmt.Errorf("cluster: token file %s: %w", file, err)
	}
	return tok, nil
}

// ClientToken returns the token a node or driver presents: $SHOAL_TOKEN, else
// the contents of file.
func ClientToken(file string) (string, error) {
	if t := strings.TrimSpace(os.Getenv(TokenEnv)); t != "" {
		return t, nil
	}
	if file == "" {
		return "", fmt.Errorf("%w: set %s or give a token file", ErrNoToken, TokenEnv)
	}
	return readToken(file)
}

func readToken(file string) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("%w: set %s or create the token file: %w", ErrNoToken, TokenEnv, err)
	}
	t := strings.TrimSpace(string(b))
	if t == "" {
		return "", fmt.Errorf("%w: token file %s is empty", ErrNoToken, file)
	}
	return t, nil
}

// authenticator checks the bearer token of every call before the handler
// runs, in constant time.
type authenticator struct{ want []byte }

func newAuthenticator(token string) *authenticator {
	return &authenticator{want: []byte("Bearer " + token)}
}

func (a *authenticator) check(ctx context.Context) error {
	md, _ := metadata.FromIncomingContext(ctx)
	got := md.Get("authorization")
	if len(got) == 0 {
		return status.Error(codes.Unauthenticated, ErrUnauthenticated.Error()+": no authorization metadata")
	}
	if len(got) != 1 || subtle.ConstantTimeCompare([]byte(got[0]), a.want) != 1 {
		return status.Error(codes.Unauthenticated, ErrUnauthenticated.Error()+": wrong token")
	}
	return nil
}

func (a *authenticator) unary(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	if err := a.check(ctx); err != nil {
		return nil, err
	}
	return h(ctx, req)
}

func (a *authenticator) stream(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
	if err := a.check(ss.Context()); err != nil {
		return err
	}
	return h(srv, ss)
}

// serverOptions are the options of every Shoal gRPC server: the token check
// on unary and stream calls, and TLS when a certificate is given.
func serverOptions(token string, tlsCfg TLSConfig) ([]grpc.ServerOption, error) {
	a := newAuthenticator(token)
	opts := []grpc.ServerOption{grpc.ChainUnaryInterceptor(a.unary), grpc.ChainStreamInterceptor(a.stream)}
	if tlsCfg.CertFile != "" || tlsCfg.KeyFile != "" {
		cert, err := tls.LoadX509KeyPair(tlsCfg.CertFile, tlsCfg.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("cluster: TLS certificate %s / key %s: %w", tlsCfg.CertFile, tlsCfg.KeyFile, err)
		}
		opts = append(opts, grpc.Creds(credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})))
	}
	return opts, nil
}

// TLSConfig names the PEM files of a server's certificate and key. Both
// empty: plaintext (fine on loopback, which is the default bind).
type TLSConfig struct {
	CertFile, KeyFile string
}

// bearer is the client side: it puts the token on every call.
type bearer struct {
	token  string
	secure bool
}

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + b.token}, nil
}

// RequireTransportSecurity is false for plaintext connections: they are
// meant for loopback (the default bind) and private networks.
func (b bearer) RequireTransportSecurity() bool { return b.secure }

// clientTLS loads the CA certificates that a client trusts for the server.
func clientTLS(caFile string) (credentials.TransportCredentials, error) {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("cluster: TLS CA %s: %w", caFile, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("cluster: TLS CA %s: no PEM certificate in it", caFile)
	}
	return credentials.NewTLS(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}), nil
}
