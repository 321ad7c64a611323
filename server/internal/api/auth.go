package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
)

// Principal is who a request comes from: the name of its token (never the
// token itself) and what the token allows.
type Principal struct {
	Name string
	// Actors are the unit, placeholder or group ids of the orgchart the
	// caller may act as in an event; "*" allows any.
	Actors   map[string]bool
	ReadOnly bool
	Admin    bool
}

// MayActAs reports whether p may post an event whose actor is id.
func (p *Principal) MayActAs(id string) bool { return p.Actors["*"] || p.Actors[id] }

// anonymous is the principal of every request when no token file is given
// (the server then listens on loopback only).
var anonymous = &Principal{Name: "anonymous", Actors: map[string]bool{"*": true}, Admin: true}

// TokenFile is the --tokens file: each token by its SHA-256 (hex), never in
// clear, with the actors it may act as.
//
//	{"tokens": [
//	  {"name": "jimsar-duty", "sha256": "9f86d0…", "actors": ["local-government", "local-emergency-bureau"]},
//	  {"name": "auditor", "sha256": "…", "readOnly": true},
//	  {"name": "ops", "sha256": "…", "admin": true}
//	]}
type TokenFile struct {
	Tokens []TokenEntry `json:"tokens"`
}

// TokenEntry is one token of a TokenFile.
type TokenEntry struct {
	Name     string   `json:"name"`
	SHA256   string   `json:"sha256"`
	Actors   []string `json:"actors,omitempty"`
	ReadOnly bool     `json:"readOnly,omitempty"`
	Admin    bool     `json:"admin,omitempty"`
}

// Tokens maps the SHA-256 of a bearer token to its principal.
type Tokens map[string]*Principal

// HashToken is the hex SHA-256 a token file stores for token.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// LoadTokens reads a token file.
func LoadTokens(path string) (Tokens, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f TokenFile
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	t := Tokens{}
	for i, e := range f.Tokens {
		h := strings.ToLower(strings.TrimSpace(e.SHA256))
		if len(h) != 64 {
			return nil, fmt.Errorf("%s: tokens[%d] (%s): sha256 must be 64 hex digits (yingji-server hash-token prints it)", path, i, e.Name)
		}
		if _, err := hex.DecodeString(h); err != nil {
			return nil, fmt.Errorf("%s: tokens[%d] (%s): sha256: %w", path, i, e.Name, err)
		}
		if e.Name == "" {
			return nil, fmt.Errorf("%s: tokens[%d]: give each token a name (it is what logs and decision records show)", path, i)
		}
		if _, dup := t[h]; dup {
			return nil, fmt.Errorf("%s: tokens[%d] (%s): the same token is listed twice", path, i, e.Name)
		}
		p := &Principal{Name: e.Name, Actors: map[string]bool{}, ReadOnly: e.ReadOnly, Admin: e.Admin}
		for _, a := range e.Actors {
			p.Actors[a] = true
		}
		t[h] = p
	}
	return t, nil
}

// authenticate finds the principal of r: nil and a problem when the token
// is missing or unknown.
func (t Tokens) authenticate(r *http.Request) (*Principal, *apiError) {
	if t == nil {
		return anonymous, nil
	}
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if h == "" || !ok || strings.TrimSpace(token) == "" {
		return nil, &apiError{status: http.StatusUnauthorized, code: "auth.missing", msg: "give a bearer token: Authorization: Bearer <token>"}
	}
	p := t[HashToken(strings.TrimSpace(token))]
	if p == nil {
		return nil, &apiError{status: http.StatusUnauthorized, code: "auth.invalid", msg: "the bearer token is not one of the server's tokens"}
	}
	return p, nil
}
