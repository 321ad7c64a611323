package pages

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listAPI answers GET /v1/incidents as the API does: ids in order, limit
// a page, next the cursor of the following page ("" after the last).
type listAPI struct {
	ids     []string
	queries []string
}

func (a *listAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.queries = append(a.queries, r.URL.RawQuery)
	q := r.URL.Query()
	if q.Get("open") != "true" {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":{"code":"bad-query","message":"open"}}`))
		return
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	from := 0
	if after := q.Get("after"); after != "" {
		from, _ = strconv.Atoi(after[len("c/"):]) // the cursor "c/N" comes back unescaped
	}
	var l apiList
	for i := from; i < len(a.ids) && i < from+limit; i++ {
		l.Incidents = append(l.Incidents, apiListed{ID: a.ids[i], Open: true})
	}
	if from+limit < len(a.ids) {
		l.Next = "c/" + strconv.Itoa(from+limit)
	}
	_ = json.NewEncoder(w).Encode(l)
}

// TestListIncidentsReadsPagesToTheBound: the board and the closed page read
// the listing page by page, pass the cursor back as given, and say when
// the listing goes on past the pages they read.
func TestListIncidentsReadsPagesToTheBound(t *testing.T) {
	api := &listAPI{ids: []string{"a", "b", "c", "d", "e"}}
	rq := &request{p: &Pages{cfg: Config{API: api}}, r: httptest.NewRequest(http.MethodGet, "/ui/board", nil)}
	ids := func(ls []apiListed) (out []string) {
		for _, l := range ls {
			out = append(out, l.ID)
		}
		return out
	}

	got, partial, err := rq.listIncidents(true, 2, 3)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, ids(got))
	assert.False(t, partial, "the third page is the last")
	assert.Equal(t, []string{"open=true&limit=2", "open=true&limit=2&after=c%2F2", "open=true&limit=2&after=c%2F4"}, api.queries)

	got, partial, err = rq.listIncidents(true, 2, 2)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c", "d"}, ids(got))
	assert.True(t, partial, "a fifth incident is past the two pages read")

	_, _, err = rq.listIncidents(false, 2, 2)
	var ae *apiError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusBadRequest, ae.Status)
}
