package teams

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultTokenURL is Microsoft Entra's token endpoint; {tenant} is the
// bot's tenant (single-tenant bots).
const DefaultTokenURL = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"

// connectorScope is what the bot's token is for: the Bot Connector service.
const connectorScope = "https://api.botframework.com/.default"

const maxConnectorBody = 1 << 20

// Connector calls the Bot Connector REST API at an activity's serviceUrl
// with a client-credentials token of the bot's app.
type Connector struct {
	appID, password, tokenURL string
	client                    *http.Client
	now                       func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
}

// ConnectorConfig configures a Connector. Without a password no token is
// sent (only for a local Teams emulator).
type ConnectorConfig struct {
	AppID, Password, TenantID, TokenURL string
	Client                              *http.Client
	Now                                 func() time.Time
}

// NewConnector builds a Connector.
func NewConnector(c ConnectorConfig) *Connector {
	if c.TokenURL == "" {
		c.TokenURL = DefaultTokenURL
	}
	tenant := c.TenantID
	if tenant == "" {
		tenant = "botframework.com"
	}
	if c.Client == nil {
		c.Client = &http.Client{Timeout: 15 * time.Second}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return &Connector{appID: c.AppID, password: c.Password, tokenURL: strings.ReplaceAll(c.TokenURL, "{tenant}", url.PathEscape(tenant)),
		client: c.Client, now: c.Now}
}

// bearer returns a cached token, fetching a new one a few minutes before expiry.
func (c *Connector) bearer(ctx context.Context) (string, error) {
	if c.password == "" {
		return "", nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.now().Before(c.expires.Add(-5*time.Minute)) {
		return c.token, nil
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.appID}, "client_secret": {c.password}, "scope": {connectorScope}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var tr struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := c.do(req, &tr); err != nil {
		return "", fmt.Errorf("bot token: %w", err)
	}
	if tr.AccessToken == "" {
		return "", fmt.Errorf("bot token: no access_token in the answer")
	}
	c.token, c.expires = tr.AccessToken, c.now().Add(time.Duration(tr.ExpiresIn)*time.Second)
	return c.token, nil
}

// validServiceURL reports whether the connector may call under s. The
// bot's token goes with every call, and the API's paths are appended to s:
// so only an absolute http(s) URL, written as Go writes it back, without
// user info, query or fragment. FuzzActivity found a one-letter serviceUrl
// sent on as a relative request, and "https://0#" whose fragment swallowed
// the path.
func validServiceURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil &&
		u.RawQuery == "" && !u.ForceQuery && u.Fragment == "" && u.String() == s
}

// call makes one connector call; body and out may be nil.
func (c *Connector) call(ctx context.Context, method, serviceURL, path string, body, out any) error {
	if !validServiceURL(serviceURL) {
		return fmt.Errorf("connector: serviceUrl %q is not an absolute http(s) URL the connector's paths can follow", serviceURL)
	}
	u := strings.TrimRight(serviceURL, "/") + path
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	tok, err := c.bearer(ctx)
	if err != nil {
		return err
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return c.do(req, out)
}

func (c *Connector) do(req *http.Request, out any) error {
	resp, err := c.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxConnectorBody))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s", req.Method, req.URL.Path, resp.Status)
	}
	if out == nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	return json.Unmarshal(data, out)
}

// resourceResponse is the connector's answer to a sent activity or a new conversation.
type resourceResponse struct {
	ID string `json:"id"`
}

// Send posts an activity to a conversation and returns its id.
func (c *Connector) Send(ctx context.Context, serviceURL, convID string, a Activity) (string, error) {
	if a.Conversation == nil {
		a.Conversation = &ConvAccount{ID: convID}
	}
	var rr resourceResponse
	err := c.call(ctx, http.MethodPost, serviceURL, "/v3/conversations/"+url.PathEscape(convID)+"/activities", a, &rr)
	return rr.ID, err
}

// Update replaces a posted activity.
func (c *Connector) Update(ctx context.Context, serviceURL, convID, activityID string, a Activity) error {
	a.ID = activityID
	return c.call(ctx, http.MethodPut, serviceURL, "/v3/conversations/"+url.PathEscape(convID)+"/activities/"+url.PathEscape(activityID), a, nil)
}

// CreatePersonal opens (or finds) the bot's personal chat with a user.
func (c *Connector) CreatePersonal(ctx context.Context, serviceURL, tenantID, botID, userID string) (string, error) {
	body := map[string]any{
		"bot": Account{ID: botID}, "members": []Account{{ID: userID}}, "isGroup": false, "tenantId": tenantID,
		"channelData": map[string]any{"tenant": map[string]string{"id": tenantID}},
	}
	var rr resourceResponse
	err := c.call(ctx, http.MethodPost, serviceURL, "/v3/conversations", body, &rr)
	if err == nil && rr.ID == "" {
		err = fmt.Errorf("create conversation: no id in the answer")
	}
	return rr.ID, err
}

// Member returns one member of a conversation, with their email.
func (c *Connector) Member(ctx context.Context, serviceURL, convID, userID string) (Account, error) {
	var a Account
	err := c.call(ctx, http.MethodGet, serviceURL, "/v3/conversations/"+url.PathEscape(convID)+"/members/"+url.PathEscape(userID), nil, &a)
	return a, err
}

// Members lists a conversation's members through pagedmembers.
func (c *Connector) Members(ctx context.Context, serviceURL, convID string) ([]Account, error) {
	var out []Account
	token := ""
	for range 50 { // 50 pages of 500: far beyond Teams' largest chats
		q := url.Values{"pageSize": {"500"}}
		if token != "" {
			q.Set("continuationToken", token)
		}
		var page struct {
			ContinuationToken string    `json:"continuationToken"`
			Members           []Account `json:"members"`
		}
		if err := c.call(ctx, http.MethodGet, serviceURL, "/v3/conversations/"+url.PathEscape(convID)+"/pagedmembers?"+q.Encode(), nil, &page); err != nil {
			return nil, err
		}
		out = append(out, page.Members...)
		if token = page.ContinuationToken; token == "" {
			return out, nil
		}
	}
	return out, nil
}
