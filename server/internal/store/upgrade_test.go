package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/server/internal/pgtest"
)

// TestUpgradeDrill: a database at schema version 2 (before the drill flag)
// is upgraded in place when a newer server opens it. The exercises the old
// duty-room pages created are known by their ids alone ("drill-…"), so the
// upgrade marks those incidents, and the event and migration records made
// for them, as drills, and nothing else.
func TestUpgradeDrill(t *testing.T) {
	tests := []struct {
		name string
		// at2 creates a database at version 2 and returns a connection to
		// it and an opener of the current store on it.
		at2 func(t *testing.T) (*sql.DB, func() (Store, error))
	}{
		{"sqlite", func(t *testing.T) (*sql.DB, func() (Store, error)) {
			path := filepath.Join(t.TempDir(), "yingji.db")
			db, err := sql.Open("sqlite", "file:"+path)
			require.NoError(t, err)
			old := &sqlStore{w: db, r: db, now: time.Now, d: dialect{kind: "sqlite", migrations: sqliteMigrations[:2],
				rebind: func(q string) string { return strings.ReplaceAll(q, "$", "?") }}}
			require.NoError(t, old.migrate(context.Background()))
			return db, func() (Store, error) { return OpenSQLite(context.Background(), path, Options{}) }
		}},
		{"postgres", func(t *testing.T) (*sql.DB, func() (Store, error)) {
			dsn := pgtest.DSN(t)
			db, err := sql.Open("pgx", dsn)
			require.NoError(t, err)
			old := &sqlStore{w: db, r: db, now: time.Now, d: dialect{kind: "postgres", migrations: postgresMigrations[:2],
				rebind: func(q string) string { return q }}}
			require.NoError(t, old.migrate(context.Background()))
			return db, func() (Store, error) { return OpenPostgres(context.Background(), dsn, Options{}) }
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db, open := tc.at2(t)
			q := func(query string, args ...any) {
				t.Helper()
				if tc.name == "sqlite" {
					query = strings.ReplaceAll(query, "$", "?")
				}
				_, err := db.ExecContext(ctx, query, args...)
				require.NoError(t, err, query)
			}
			q(`INSERT INTO bundles (hash, plan_id, revision, stored_at) VALUES ('sha256:a', 'p', 'r', 0)`)
			for _, id := range []string{"drill-20251015-abc", "inc-20251015-def", "DRILL-x", "x-drill-y"} {
				q(`INSERT INTO incidents (id, plan_hash, seq, phase, level, response, open, created, updated)
					VALUES ($1, 'sha256:a', 1, 'initial-response', 'general', '', TRUE, 0, 0)`, id)
			}
			for _, d := range [][2]string{{"d1", "drill-20251015-abc"}, {"d2", "inc-20251015-def"}, {"d3", "drill-20251015-abc"}, {"d4", ""}} {
				kind := "apply"
				if d[0] == "d3" {
					kind = "migrate"
				} else if d[0] == "d4" {
					kind = "classify"
				}
				q(`INSERT INTO decisions (id, at, kind, plan_id, revision, plan_hash, principal, incident, input, result)
					VALUES ($1, 0, $2, 'p', 'r', 'sha256:a', 'tester', $3, '{}', '{}')`, d[0], kind, d[1])
			}
			require.NoError(t, db.Close())

			s, err := open()
			require.NoError(t, err)
			defer s.Close()
			var w *sql.DB
			switch s := s.(type) {
			case *sqliteStore:
				w = s.w
			case *pgStore:
				w = s.w
			}
			require.NotNil(t, w)
			var v int
			require.NoError(t, w.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v))
			assert.Equal(t, SchemaVersion(), v)
			list, err := s.Incidents(ctx, IncidentFilter{})
			require.NoError(t, err)
			drills := map[string]bool{}
			for _, inc := range list {
				drills[inc.ID] = inc.Drill
			}
			assert.Equal(t, map[string]bool{"drill-20251015-abc": true, "inc-20251015-def": false, "DRILL-x": false, "x-drill-y": false}, drills,
				"the old pages' prefix, exactly")
			ds, err := s.Decisions(ctx, DecisionFilter{})
			require.NoError(t, err)
			flags := map[string]bool{}
			for _, d := range ds {
				flags[d.ID] = d.Drill
			}
			assert.Equal(t, map[string]bool{"d1": true, "d2": false, "d3": true, "d4": false}, flags)
		})
	}
}
