package outbound

import (
	"context"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// metadata are the cloud metadata services' addresses (AWS, GCP and Azure
// share the IPv4 one; AWS's IPv6 one is unique-local).
var metadata = []netip.Addr{netip.MustParseAddr("169.254.169.254"), netip.MustParseAddr("fd00:ec2::254")}

// FuzzEndpointURL saves arbitrary endpoints through the production check
// with the production guard and no allowed networks; DNS answers come from
// the input, so nothing leaves the process. An accepted endpoint has an
// http(s) URL with a host and no user info that reads back as itself and is
// accepted again unchanged; its host, as a literal or as every address its
// name resolves to, is none of loopback, private, link-local, multicast,
// unspecified or a metadata service; its description and event types are
// within bounds.
func FuzzEndpointURL(f *testing.F) {
	v4 := func(s string) []byte { a := netip.MustParseAddr(s).As4(); return append([]byte{0}, a[:]...) }
	v6 := func(s string) []byte { a := netip.MustParseAddr(s).As16(); return append([]byte{1}, a[:]...) }
	public := slices.Concat(v4("93.184.215.14"), v6("2606:2800:21f:cb07:6820:80da:af6b:8b2c"))
	for _, u := range []string{
		"https://hooks.example.com/zoombridge", "http://93.184.215.14:8080/hook?x=1#frag", "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/h",
		"  https://hooks.example.com/padded  ", "HTTPS://HOOKS.EXAMPLE.COM/", "https://hooks.example.com.:443/",
		"http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]:8080/", "http://0.0.0.0/", "http://[::]/",
		"http://[::ffff:127.0.0.1]/", "http://[::ffff:169.254.169.254]/", "http://[fe80::1%25eth0]/", "http://[fd00:ec2::254]/",
		"http://[64:ff9b::a9fe:a9fe]/latest", "http://100.64.0.1/", "http://224.0.0.1/", "http://255.255.255.255/",
		"http://127.1/", "http://2130706433/", "http://0x7f000001/", "http://017700000001/", "http://127.0.0.1.nip.io/",
		"ftp://example.com/", "javascript:alert(1)", "not a url", "http:///path", "http://user:pw@example.com/", "http://@example.com/",
		"//example.com/", "http://exa mple.com/", "http://example.com:99999/", "http://[::1/", "http://%31%32%37.0.0.1/", "http://ex%00ample.com/",
	} {
		f.Add(u, public, "", "")
	}
	f.Add("https://hooks.example.com/", v4("127.0.0.1"), "", "")
	f.Add("https://hooks.example.com/", slices.Concat(v4("93.184.215.14"), v4("169.254.169.254")), "", "")
	f.Add("https://hooks.example.com/", v6("::ffff:10.1.2.3"), "", "")
	f.Add("https://hooks.example.com/", []byte{}, "", "")
	f.Add("https://hooks.example.com/", public, "Sales CRM", "person.created, meeting.ended,person.created")
	f.Add("https://hooks.example.com/", public, strings.Repeat("d", 501), "")
	f.Add("https://hooks.example.com/", public, "", "Person.Created,x,meeting")
	ctx := context.Background()
	var answer []byte   // this input's DNS answer
	var looked []string // the names the guard looked up
	s := New(Config{Guard: &Guard{Lookup: func(_ context.Context, host string) ([]netip.Addr, error) {
		looked = append(looked, host)
		return addrsOf(answer), nil
	}}})
	f.Fuzz(func(t *testing.T, raw string, dns []byte, desc, types string) {
		answer, looked = dns, nil
		ep, err := s.check(ctx, Endpoint{URL: raw, Description: desc, EventTypes: strings.Split(types, ",")})
		if err != nil {
			return
		}
		u, perr := url.Parse(ep.URL)
		if perr != nil || u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" || u.User != nil {
			t.Fatalf("accepted %q saved as %q (%v)", raw, ep.URL, perr)
		}
		host := u.Hostname()
		if a, err := netip.ParseAddr(host); err == nil {
			if len(looked) != 0 || internal(a) {
				t.Fatalf("accepted %q: literal %s (looked up %q)", raw, a, looked)
			}
		} else {
			if len(looked) != 1 || looked[0] != host || len(addrsOf(answer)) == 0 {
				t.Fatalf("accepted %q: host %q, looked up %q, answer %v", raw, host, looked, addrsOf(answer))
			}
			for _, a := range addrsOf(answer) {
				if internal(a) {
					t.Fatalf("accepted %q resolving to %s", raw, a)
				}
			}
		}
		if len(ep.Description) > 500 {
			t.Fatalf("accepted a description of %d bytes", len(ep.Description))
		}
		for i, et := range ep.EventTypes {
			if !typeName.MatchString(et) || slices.Contains(ep.EventTypes[:i], et) {
				t.Fatalf("accepted event types %q from %q", ep.EventTypes, types)
			}
		}
		looked = nil
		again, err := s.check(ctx, ep)
		if err != nil || again.URL != ep.URL || !slices.Equal(again.EventTypes, ep.EventTypes) {
			t.Fatalf("saved %q (from %q) checks again as %q, %v", ep.URL, raw, again.URL, err)
		}
	})
}

// addrsOf reads a DNS answer from fuzz bytes: a 0 byte and four bytes of
// IPv4, or any other byte and sixteen of IPv6.
func addrsOf(b []byte) []netip.Addr {
	var out []netip.Addr
	for len(b) > 0 {
		if b[0]%2 == 0 && len(b) >= 5 {
			out, b = append(out, netip.AddrFrom4([4]byte(b[1:5]))), b[5:]
		} else if len(b) >= 17 {
			out, b = append(out, netip.AddrFrom16([16]byte(b[1:17]))), b[17:]
		} else {
			break
		}
	}
	return out
}

// internal: an address a deployment's own network or its cloud would answer on.
func internal(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsMulticast() ||
		a.IsUnspecified() || slices.Contains(metadata, a.WithZone(""))
}
