package outbound

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
)

// AddressError is the SSRF guard's refusal of an address.
type AddressError struct{ Addr netip.Addr }

func (e *AddressError) Error() string {
	return fmt.Sprintf("outbound: %s is an internal address (allow it with ZOOMBRIDGE_WEBHOOK_ALLOW_CIDRS)", e.Addr)
}

// refused are networks that are neither loopback, private, link-local nor
// unspecified by the standard library's tests but still internal: "this
// network", shared address space (carrier NAT, some clouds' metadata), and
// IPv6 prefixes that embed an IPv4 address a gateway would reach (NAT64, 6to4).
var refused = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2002::/16"),
}

// Guard keeps outbound requests away from the deployment's own network:
// loopback, private, link-local (169.254.169.254, the cloud metadata
// service, among them), unique-local, multicast and unspecified addresses
// are refused unless an allowed network holds them. It checks a URL when an
// endpoint is saved and, because a name can resolve differently later, every
// address actually dialed.
type Guard struct {
	Allow []netip.Prefix
	// Dialing, when set, is told of each connection the guard lets through,
	// just before it is made (tests record dial attempts with it).
	Dialing func(network, address string)
	// Lookup resolves a URL's host name when an endpoint is saved;
	// net.DefaultResolver when nil (tests and fuzzing answer for DNS with it).
	Lookup func(ctx context.Context, host string) ([]netip.Addr, error)
}

// Check refuses an internal address that no allowed network holds.
func (g *Guard) Check(a netip.Addr) error {
	a = a.Unmap()
	for _, p := range g.Allow {
		if p.Contains(a) {
			return nil
		}
	}
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() || (a.Is4() && a == netip.AddrFrom4([4]byte{255, 255, 255, 255})) {
		return &AddressError{a}
	}
	for _, p := range refused {
		if p.Contains(a) {
			return &AddressError{a}
		}
	}
	return nil
}

// URL errors are codes, for the API and the admin app.
var (
	ErrURLScheme     = errors.New("outbound: the URL must be http or https")
	ErrURLHost       = errors.New("outbound: the URL has no host")
	ErrURLUserinfo   = errors.New("outbound: the URL must not contain a user name or password")
	ErrURLUnresolved = errors.New("outbound: the URL's host does not resolve")
)

// CheckURL parses an endpoint URL and refuses it when its host is, or
// resolves to, a refused address.
func (g *Guard) CheckURL(ctx context.Context, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https"):
		return nil, ErrURLScheme
	case u.User != nil:
		return nil, ErrURLUserinfo
	case u.Hostname() == "", strings.Contains(u.Hostname(), "%"), !utf8.ValidString(u.Hostname()):
		// An IPv6 zone (%eth0) names this machine's interface, never a receiver.
		return nil, ErrURLHost
	}
	if a, err := netip.ParseAddr(u.Hostname()); err == nil {
		return u, g.Check(a)
	}
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	lookup := g.Lookup
	if lookup == nil {
		lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	addrs, err := lookup(rctx, u.Hostname())
	if err != nil || len(addrs) == 0 {
		return nil, ErrURLUnresolved
	}
	for _, a := range addrs {
		if err := g.Check(a); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// control is the dialer's hook: it runs after the name was resolved and
// before the connection is made, on the address actually dialed.
func (g *Guard) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("outbound: dialing %q: %w", address, err)
	}
	if err := g.Check(ap.Addr()); err != nil {
		return err
	}
	if g.Dialing != nil {
		g.Dialing(network, address)
	}
	return nil
}

// MaxConnsPerHost bounds the connections open to one receiver at once.
const MaxConnsPerHost = 64

// AttemptTimeout bounds one delivery attempt, answer included.
const AttemptTimeout = 15 * time.Second

// Client is an HTTP client for deliveries: guarded dials, no proxy (one
// would dial on our behalf, past the guard), redirects not followed (a
// redirect is a failed delivery), a 15-second limit per attempt, and at
// most MaxConnsPerHost connections to one receiver: a backlog of thousands
// of deliveries queues here instead of opening a connection each, which
// would flood the receiver and spend the file descriptors this process
// needs to accept Zoom's webhooks.
func (g *Guard) Client() *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: g.control}
	return &http.Client{
		Timeout: AttemptTimeout,
		Transport: &http.Transport{
			DialContext:           d.DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          256,
			MaxIdleConnsPerHost:   MaxConnsPerHost,
			MaxConnsPerHost:       MaxConnsPerHost,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: AttemptTimeout,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
