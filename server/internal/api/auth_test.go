package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/server/internal/api"
	"github.com/yingji/yingji/server/internal/store"
)

const (
	countyToken = "county-secret-token-1"
	hqToken     = "hq-secret-token-2"
	readToken   = "auditor-secret-token-3"
	adminToken  = "ops-secret-token-4"
)

func testTokens() api.Tokens {
	return api.Tokens{
		api.HashToken(countyToken): {Name: "jimsar-duty", Actors: map[string]bool{"local-government": true, "local-emergency-bureau": true, "yjj": true}},
		api.HashToken(hqToken):     {Name: "prefecture-hq", Actors: map[string]bool{"hq": true, "gov": true, "yjj": true}},
		api.HashToken(readToken):   {Name: "auditor", Actors: map[string]bool{}, ReadOnly: true},
		api.HashToken(adminToken):  {Name: "ops", Actors: map[string]bool{}, Admin: true},
	}
}

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

func TestAuthorization(t *testing.T) {
	e := newEnv(t, withTokens(testTokens()), withPlanDir())
	a := e.do(req{method: "POST", path: "/v1/incidents", body: firstReport("inc-1", "e1"), header: bearer(countyToken)})
	require.Equal(t, 201, a.status, "%s", a.body)
	tests := []struct {
		name   string
		r      req
		status int
		code   string
	}{
		{name: "no token → 401", r: req{method: "GET", path: "/v1/status"}, status: 401, code: "auth.missing"},
		{name: "wrong token → 401", r: req{method: "POST", path: "/v1/grade", body: `{"deaths":1}`, header: bearer("guess")}, status: 401, code: "auth.invalid"},
		{name: "not a bearer token → 401", r: req{method: "GET", path: "/v1/plans", header: map[string]string{"Authorization": "Basic eDp5"}}, status: 401, code: "auth.missing"},
		{name: "2.5 a county token cannot post as 昌吉州指挥部 (hq) → 403 before any guard",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e2", "command.transferred", "hq", 10, `{"to":"site-hq","formedBy":"hq","grounds":"cross-county"}`), header: bearer(countyToken)},
			status: 403, code: "auth.actor-not-permitted"},
		{name: "a county token cannot pose as hq by its alias either",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e2", "report.followup", "昌吉州指挥部", 10, ""), header: bearer(countyToken)},
			status: 403, code: "auth.actor-not-permitted"},
		{name: "a read-only token cannot post an event → 403",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e2", "report.followup", "yjj", 10, ""), header: bearer(readToken)},
			status: 403, code: "auth.read-only"},
		{name: "a read-only token cannot create an incident → 403",
			r: req{method: "POST", path: "/v1/incidents", body: firstReport("inc-2", "e1"), header: bearer(readToken)}, status: 403, code: "auth.read-only"},
		{name: "a read-only token reads", r: req{method: "GET", path: "/v1/incidents/inc-1", header: bearer(readToken)}, status: 200},
		{name: "a read-only token grades (no state changes)", r: req{method: "POST", path: "/v1/grade", body: `{"deaths":12}`, header: bearer(readToken)}, status: 200},
		{name: "reload is for admins → 403", r: req{method: "POST", path: "/v1/reload", header: bearer(hqToken)}, status: 403, code: "auth.admin-only"},
		{name: "migrate is for admins → 403", r: req{method: "POST", path: "/v1/incidents/inc-1/migrate", header: bearer(countyToken)}, status: 403, code: "auth.admin-only"},
		{name: "an admin reloads", r: req{method: "POST", path: "/v1/reload", header: bearer(adminToken)}, status: 200},
		{name: "the county acts as its own government",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e2", "response.activated", "local-government", 10, `{"level":"IV"}`), header: bearer(countyToken)},
			status: 200},
		{name: "health, readiness, metrics and the document need no token", r: req{method: "GET", path: "/healthz"}, status: 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			a := e.do(tc.r)
			require.Equal(t, tc.status, a.status, "%s", a.body)
			if tc.code != "" {
				assert.Equal(t, tc.code, a.errCode(t))
			}
			if tc.status == 401 {
				assert.Contains(t, a.header.Get("WWW-Authenticate"), "Bearer")
			}
		})
	}
	e.t = t
	ds, err := e.st.Decisions(context.Background(), store.DecisionFilter{})
	require.NoError(t, err)
	require.NotEmpty(t, ds)
	principals := map[string]bool{}
	for _, d := range ds {
		principals[d.Principal] = true
	}
	assert.True(t, principals["jimsar-duty"], "decision records name the token's principal")
	assert.True(t, principals["auditor"])
	evs, err := e.st.Events(context.Background(), "inc-1", 0, 0)
	require.NoError(t, err)
	require.Len(t, evs, 2, "the refused events are not stored")
	a = e.do(req{method: "GET", path: "/v1/decisions", header: bearer(readToken)})
	logs := e.logs.String()
	for _, tok := range []string{countyToken, hqToken, readToken, adminToken, "guess"} {
		assert.NotContains(t, logs, tok, "tokens never appear in logs")
		assert.NotContains(t, string(a.body), tok, "tokens never appear in decision records")
		for _, ev := range evs {
			assert.NotContains(t, string(ev.Answer)+string(ev.Body), tok)
		}
	}
}

func TestLoadTokens(t *testing.T) {
	dir := t.TempDir()
	write := func(s string) string {
		p := dir + "/tokens.json"
		require.NoError(t, writeFile(p, s))
		return p
	}
	good := `{"tokens":[{"name":"jimsar-duty","sha256":"` + api.HashToken(countyToken) + `","actors":["local-government"]},{"name":"ops","sha256":"` + strings.ToUpper(api.HashToken(adminToken)) + `","admin":true}]}`
	tok, err := api.LoadTokens(write(good))
	require.NoError(t, err)
	require.Len(t, tok, 2)
	assert.True(t, tok[api.HashToken(countyToken)].Actors["local-government"])
	assert.True(t, tok[api.HashToken(adminToken)].Admin)
	for _, bad := range []string{
		`{"tokens":[{"name":"x","sha256":"abc"}]}`,
		`{"tokens":[{"sha256":"` + api.HashToken("a") + `"}]}`,
		`{"tokens":[{"name":"x","token":"clear"}]}`,
		`{"tokens":[{"name":"a","sha256":"` + api.HashToken("a") + `"},{"name":"b","sha256":"` + api.HashToken("a") + `"}]}`,
	} {
		_, err := api.LoadTokens(write(bad))
		assert.Error(t, err, bad)
	}
}
