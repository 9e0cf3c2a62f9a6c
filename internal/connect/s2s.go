package connect

import (
	"context"
	"errors"
	"strings"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// S2SCredentials are what an admin copies from an organization's own
// Server-to-Server OAuth app in the Zoom App Marketplace.
type S2SCredentials struct {
	AccountID     string
	ClientID      string
	ClientSecret  string
	WebhookSecret string // the app's event subscription secret token; optional
}

// String hides the secrets, should credentials reach a log line.
func (c S2SCredentials) String() string {
	return "S2SCredentials{account:" + c.AccountID + " client:" + c.ClientID + "}"
}

// ConnectS2S connects an organization's Server-to-Server app (C1): it asks
// Zoom for an account_credentials token to prove the credentials, reads the
// account, and stores the connection with the client secret and webhook
// secret sealed. Entering credentials for an account already connected
// renews that connection (new secret, status active again).
func (s *Service) ConnectS2S(ctx context.Context, orgID, actorAccountID int64, cr S2SCredentials) (store.Connection, error) {
	cr.AccountID, cr.ClientID = strings.TrimSpace(cr.AccountID), strings.TrimSpace(cr.ClientID)
	cr.ClientSecret, cr.WebhookSecret = strings.TrimSpace(cr.ClientSecret), strings.TrimSpace(cr.WebhookSecret)
	if cr.AccountID == "" || cr.ClientID == "" || cr.ClientSecret == "" {
		return store.Connection{}, BadCredentials(errors.New("account ID, client ID and client secret are all required"))
	}
	app := &zoom.OAuthApp{BaseURL: s.cfg.OAuthURL, ClientID: cr.ClientID, ClientSecret: cr.ClientSecret, HTTP: s.cfg.HTTP}
	tok, err := app.AccountCredentials(ctx, cr.AccountID)
	if err != nil {
		if zoom.IsTransient(err) {
			return store.Connection{}, ZoomUnavailable(err)
		}
		return store.Connection{}, BadCredentials(err)
	}
	c := store.Connection{OrgID: orgID, Kind: store.KindS2S, ZoomAccountID: cr.AccountID, ClientID: cr.ClientID,
		Scopes: tok.Scope, CreatedBy: actorAccountID}
	if err := s.captureProfile(ctx, &c, tok.AccessToken, true); err != nil {
		return store.Connection{}, err
	}
	return s.store(ctx, c, 0, tok, actorAccountID, func(tx *store.Store, c store.Connection) error {
		secretEnc, err := s.vault.SealString(cr.ClientSecret, aad(colClientSecret, c.ID))
		if err != nil {
			return err
		}
		hookEnc, err := s.vault.SealString(cr.WebhookSecret, aad(colWebhookSecret, c.ID))
		if err != nil {
			return err
		}
		return tx.SaveSecrets(ctx, c.ID, secretEnc, hookEnc, s.now())
	})
}
