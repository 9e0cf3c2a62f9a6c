package bookingtest

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message a Mailbox received.
type Mail struct {
	From string
	To   []string
	Data []byte
}

// Mailbox is a real SMTP server on loopback that keeps what it receives.
type Mailbox struct {
	Addr string
	In   chan Mail
}

// NewMailbox starts a mailbox for the test's lifetime.
func NewMailbox(t *testing.T) *Mailbox {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	Must(t, err)
	mb := &Mailbox{Addr: l.Addr().String(), In: make(chan Mail, 64)}
	s := smtp.NewServer(backend{mb})
	s.Domain = "mailbox.test"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	return mb
}

// URL is the ZOOMBRIDGE_SMTP_URL that sends to this mailbox.
func (mb *Mailbox) URL() string { return "smtp://" + mb.Addr + "?from=bookings@zoombridge.test" }

// Next waits for the next message, within a deadline.
func (mb *Mailbox) Next(t *testing.T) Mail {
	t.Helper()
	select {
	case m := <-mb.In:
		return m
	case <-time.After(45 * time.Second):
		t.Fatal("no mail within 45s")
		return Mail{}
	}
}

type backend struct{ mb *Mailbox }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{mb: b.mb}, nil }

type session struct {
	mb  *Mailbox
	cur Mail
}

func (s *session) Reset()        { s.cur = Mail{} }
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.cur.From = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = b
	s.mb.In <- s.cur
	return nil
}
