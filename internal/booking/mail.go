package booking

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// Mailer sends mail through one SMTP server, configured by
// ZOOMBRIDGE_SMTP_URL: smtp://[user:password@]host:port?from=bookings@example.com
// (STARTTLS when the server offers it; smtps:// for TLS from the start).
type Mailer struct {
	addr, host string
	from       string
	user, pass string
	implicit   bool
	// InsecureTLS skips certificate checks (tests with a self-signed server).
	InsecureTLS bool
}

// NewMailer reads an SMTP URL.
func NewMailer(raw string) (*Mailer, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, fmt.Errorf("SMTP URL must look like smtp://user:password@host:587?from=bookings@example.com")
	}
	m := &Mailer{host: u.Hostname(), from: u.Query().Get("from"), implicit: u.Scheme == "smtps"}
	port := u.Port()
	if port == "" {
		port = map[bool]string{true: "465", false: "587"}[m.implicit]
	}
	m.addr = net.JoinHostPort(m.host, port)
	if u.User != nil {
		m.user = u.User.Username()
		m.pass, _ = u.User.Password()
	}
	if !validEmail(m.from) {
		return nil, fmt.Errorf("SMTP URL needs ?from=ADDRESS, the sender of booking emails")
	}
	return m, nil
}

// Message is one email with an optional calendar invite.
type Message struct {
	To, Subject, Text string
	ICS               []byte
	Method            string // the invite's METHOD (REQUEST, CANCEL)
}

// Send delivers one message, within ctx's deadline or a minute.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	deadline := time.Now().Add(time.Minute)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	d := net.Dialer{Deadline: deadline}
	conn, err := d.DialContext(ctx, "tcp", m.addr)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", m.addr, err)
	}
	if err := conn.SetDeadline(deadline); err != nil {
		conn.Close()
		return fmt.Errorf("smtp %s: %w", m.addr, err)
	}
	tlsCfg := &tls.Config{ServerName: m.host, InsecureSkipVerify: m.InsecureTLS}
	if m.implicit {
		conn = tls.Client(conn, tlsCfg)
	}
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp %s: %w", m.addr, err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok && !m.implicit {
		if err := c.StartTLS(tlsCfg); err != nil {
			return fmt.Errorf("smtp starttls: %w", err)
		}
	}
	if m.user != "" {
		if err := c.Auth(smtp.PlainAuth("", m.user, m.pass, m.host)); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := c.Mail(m.from); err != nil {
		return fmt.Errorf("smtp from: %w", err)
	}
	if err := c.Rcpt(msg.To); err != nil {
		return fmt.Errorf("smtp to: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	if _, err := w.Write(m.compose(msg)); err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	return c.Quit()
}

// compose builds a multipart/mixed message: the text, the invite inline as
// text/calendar (so mail clients offer to add it) and as an .ics attachment.
func (m *Mailer) compose(msg Message) []byte {
	var b bytes.Buffer
	boundary := randomHex(12)
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", m.from)
	h("To", msg.To)
	h("Subject", mime.QEncoding.Encode("utf-8", msg.Subject))
	h("Date", time.Now().UTC().Format(time.RFC1123Z))
	h("Message-ID", "<"+randomHex(16)+"@"+m.host+">")
	h("MIME-Version", "1.0")
	h("Content-Type", `multipart/mixed; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	part := func(ctype, extra string, body []byte) {
		b.WriteString("--" + boundary + "\r\n")
		b.WriteString("Content-Type: " + ctype + "\r\nContent-Transfer-Encoding: base64\r\n" + extra + "\r\n")
		enc := base64.StdEncoding.EncodeToString(body)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	part(`text/plain; charset="utf-8"`, "", []byte(strings.ReplaceAll(msg.Text, "\n", "\r\n")))
	if len(msg.ICS) > 0 {
		part(`text/calendar; charset="utf-8"; method=`+msg.Method, "", msg.ICS)
		part(`application/ics; name="invite.ics"`, `Content-Disposition: attachment; filename="invite.ics"`+"\r\n", msg.ICS)
	}
	b.WriteString("--" + boundary + "--\r\n")
	return b.Bytes()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
