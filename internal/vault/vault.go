// Package vault encrypts tokens and secrets at rest with AES-256-GCM.
//
// Every ciphertext is bound to the row and column it is stored in through
// additional authenticated data (aad), e.g. "zoom_connections.access_token:<id>",
// so a ciphertext copied into another row or column fails to open instead of
// handing one connection's token to another.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

// KeySize is the key length: AES-256.
const KeySize = 32

// version prefixes every ciphertext so the format (or key) can change later
// without guessing what an old value is.
const version byte = 1

// ErrOpen is returned for a ciphertext that is damaged, sealed under another
// key, or bound to another row or column. It never says which.
var ErrOpen = errors.New("vault: cannot open ciphertext (wrong key, wrong row, or damaged)")

// Vault seals and opens values with one key. It is safe for concurrent use.
type Vault struct {
	aead cipher.AEAD
}

// New returns a Vault for a 32-byte key.
func New(key []byte) (*Vault, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("vault: key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	return &Vault{aead: aead}, nil
}

// Seal encrypts plaintext bound to aad. The result is version || nonce ||
// ciphertext+tag; the nonce is fresh random bytes on every call (96-bit nonces
// stay far below the collision bound at any plausible number of token writes).
func (v *Vault) Seal(plaintext []byte, aad string) ([]byte, error) {
	ns := v.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plaintext)+v.aead.Overhead())
	out[0] = version
	if _, err := rand.Read(out[1 : 1+ns]); err != nil {
		return nil, fmt.Errorf("vault: nonce: %w", err)
	}
	return v.aead.Seal(out, out[1:1+ns], plaintext, []byte(aad)), nil
}

// Open decrypts a value Seal produced with the same aad.
func (v *Vault) Open(ciphertext []byte, aad string) ([]byte, error) {
	ns := v.aead.NonceSize()
	if len(ciphertext) < 1+ns+v.aead.Overhead() || ciphertext[0] != version {
		return nil, ErrOpen
	}
	pt, err := v.aead.Open(nil, ciphertext[1:1+ns], ciphertext[1+ns:], []byte(aad))
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// SealString and OpenString are conveniences for string secrets; an empty
// string seals to nil (nothing stored) and nil opens to "".
func (v *Vault) SealString(s, aad string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	return v.Seal([]byte(s), aad)
}

// OpenString is the inverse of SealString.
func (v *Vault) OpenString(b []byte, aad string) (string, error) {
	if len(b) == 0 {
		return "", nil
	}
	pt, err := v.Open(b, aad)
	return string(pt), err
}

// AAD builds the binding string for a table column of one row:
// AAD("zoom_connections", "access_token", id) = "zoom_connections.access_token:<id>".
func AAD(table, column, rowID string) string { return table + "." + column + ":" + rowID }
