package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

var postgresMigrations = []string{
	// 1: the event log, the incidents, the plan bundles, the decisions.
	`CREATE TABLE bundles (hash TEXT CONSTRAINT bundles_pkey PRIMARY KEY, plan_id TEXT NOT NULL, revision TEXT NOT NULL, stored_at BIGINT NOT NULL);
CREATE TABLE bundle_files (hash TEXT NOT NULL REFERENCES bundles (hash), name TEXT NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (hash, name));
CREATE TABLE current_plan (id INTEGER PRIMARY KEY CHECK (id = 1), hash TEXT NOT NULL REFERENCES bundles (hash), gen BIGINT NOT NULL, at BIGINT NOT NULL);
CREATE TABLE incidents (n BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id TEXT NOT NULL CONSTRAINT incidents_id_key UNIQUE,
  plan_hash TEXT NOT NULL REFERENCES bundles (hash), seq BIGINT NOT NULL, phase TEXT NOT NULL, level TEXT NOT NULL, response TEXT NOT NULL,
  open BOOLEAN NOT NULL, created BIGINT NOT NULL, updated BIGINT NOT NULL);
CREATE INDEX incidents_open ON incidents (open, n);
CREATE TABLE events (incident TEXT NOT NULL REFERENCES incidents (id), seq BIGINT NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL, actor TEXT NOT NULL,
  body TEXT NOT NULL, status INTEGER NOT NULL, answer TEXT NOT NULL, principal TEXT NOT NULL, stored_at BIGINT NOT NULL,
  CONSTRAINT events_pkey PRIMARY KEY (incident, seq), CONSTRAINT events_event_id_key UNIQUE (incident, event_id));
CREATE TABLE decisions (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id TEXT NOT NULL UNIQUE, at BIGINT NOT NULL, kind TEXT NOT NULL,
  plan_id TEXT NOT NULL, revision TEXT NOT NULL, plan_hash TEXT NOT NULL, principal TEXT NOT NULL, incident TEXT NOT NULL,
  input TEXT NOT NULL, result TEXT NOT NULL);
CREATE INDEX decisions_incident ON decisions (incident, seq);
CREATE INDEX decisions_at ON decisions (at)`,
}

// planChannel is the LISTEN/NOTIFY channel a publication is announced on.
const planChannel = "yingji_plan"

type pgStore struct {
	*sqlStore
	dsn string
}

func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// OpenPostgres connects to PostgreSQL and runs the schema migrations (one
// process at a time, under an advisory lock).
func OpenPostgres(ctx context.Context, dsn string) (Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	base := &sqlStore{w: db, r: db, now: time.Now, d: dialect{
		kind:       "postgres",
		migrations: postgresMigrations,
		rebind:     func(q string) string { return q },
		unique:     pgUnique,
		lock:       `SELECT pg_advisory_xact_lock(7215011)`,
		notify:     `SELECT pg_notify('` + planChannel + `', $1)`,
	}}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := base.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return &pgStore{sqlStore: base, dsn: dsn}, nil
}

var _ = stdlib.GetDefaultDriver // registers "pgx" with database/sql

func pgUnique(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23505" {
		return err
	}
	switch pe.ConstraintName {
	case "incidents_id_key", "bundles_pkey":
		return ErrExists
	case "events_event_id_key":
		return ErrDuplicateEvent
	case "events_pkey":
		return ErrConflict
	}
	return err
}

func (s *pgStore) Append(ctx context.Context, a Append) error {
	// A PostgreSQL commit is durable when it returns; the server's own
	// group commit (commit_delay) batches fsyncs across connections.
	return s.appendOne(context.WithoutCancel(ctx), a)
}

// Listen waits for plan publications on a connection of its own and calls
// fn for each, until ctx ends.
func (s *pgStore) Listen(ctx context.Context, fn func()) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		if _, err := c.Exec(ctx, "LISTEN "+planChannel); err != nil {
			return err
		}
		for {
			if _, err := c.WaitForNotification(ctx); err != nil {
				return err
			}
			fn()
		}
	})
}

func (s *pgStore) Close() error { return s.close() }
