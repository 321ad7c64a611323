package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
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
	// 2: the decision records as the library makes them.
	migration2,
	// 3: the drill flag of incidents and of their records.
	migration3,
}

// planChannel is the LISTEN/NOTIFY channel a publication is announced on.
const planChannel = "yingji_plan"

type pgStore struct {
	*sqlStore
	// decs writes the decision records: the same pool, or with
	// DecisionsToOS one whose sessions commit with synchronous_commit off.
	decDB *sql.DB
	dsn   string
	decs  chan *writeReq
	stop  chan struct{}
	wg    sync.WaitGroup
	once  sync.Once
}

// decisionWorkers is how many multi-row inserts of decision records may be
// in flight at once: while one commits, the next gathers what arrives.
const decisionWorkers = 4

func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// OpenPostgres connects to PostgreSQL and runs the schema migrations (one
// process at a time, under an advisory lock).
func OpenPostgres(ctx context.Context, dsn string, opts Options) (Store, error) {
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
	s := &pgStore{sqlStore: base, decDB: db, dsn: dsn, decs: make(chan *writeReq, maxBatch), stop: make(chan struct{})}
	if opts.DecisionsToOS {
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("store: %w", err)
		}
		cfg.RuntimeParams["synchronous_commit"] = "off"
		s.decDB = stdlib.OpenDB(*cfg)
		s.decDB.SetMaxOpenConns(decisionWorkers)
	}
	for range decisionWorkers {
		s.wg.Go(s.decisionWriter)
	}
	return s, nil
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

// The append as one statement: the incident row created or moved on from
// the sequence number the event was computed against, the event inserted
// only if it was, and the decision record only if the event was — one
// round trip, atomic as every statement is. The count is of events
// inserted: 0 means another writer moved the incident first.
const (
	pgAppendFirst = `WITH i AS (
	INSERT INTO incidents (id, plan_hash, seq, phase, level, response, open, created, updated, drill)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $30) RETURNING id),
e AS (
	INSERT INTO events (incident, seq, event_id, type, actor, body, status, answer, principal, stored_at)
	SELECT i.id, $3, $9, $10, $11, $12, $13, $14, $15, $8 FROM i RETURNING 1),
d AS (
	INSERT INTO decisions (id, at, kind, plan_id, revision, plan_hash, principal, incident, input, unknown, result, log_seq, drill)
	SELECT $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $29 FROM e WHERE $28)
SELECT count(*) FROM e`
	pgAppendNext = `WITH i AS (
	UPDATE incidents SET seq = $3, phase = $4, level = $5, response = $6, open = $7, updated = $8
	WHERE id = $1 AND seq = $3 - 1 AND plan_hash = $2 RETURNING id),
e AS (
	INSERT INTO events (incident, seq, event_id, type, actor, body, status, answer, principal, stored_at)
	SELECT i.id, $3, $9, $10, $11, $12, $13, $14, $15, $8 FROM i RETURNING 1),
d AS (
	INSERT INTO decisions (id, at, kind, plan_id, revision, plan_hash, principal, incident, input, unknown, result, log_seq, drill)
	SELECT $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $29 FROM e WHERE $28)
SELECT count(*) FROM e`
)

func (s *pgStore) Append(ctx context.Context, a Append) error {
	inc, ev := a.Incident, a.Event
	if ev.Seq < 1 || inc.Seq != ev.Seq || ev.Incident != inc.ID {
		return fmt.Errorf("store: append: event seq %d, incident %q at %d: mismatched", ev.Seq, inc.ID, inc.Seq)
	}
	// A PostgreSQL commit is durable when it returns; concurrent commits
	// share their WAL flushes. Once sent, the append is not abandoned
	// with the request: its answer tells the truth about the log.
	ctx = context.WithoutCancel(ctx)
	now := micros(s.now())
	d, has := Decision{}, a.Decision != nil
	if has {
		d = *a.Decision
	}
	args := []any{inc.ID, inc.PlanHash, inc.Seq, inc.Phase, inc.Level, inc.Response, inc.Open, now,
		ev.ID, ev.Type, ev.Actor, string(ev.Body), ev.Status, string(ev.Answer), ev.Principal,
		d.ID, micros(d.Time), d.Kind, d.PlanID, d.Revision, d.PlanHash, d.Principal, d.Incident,
		jsonOr(d.Facts, "{}"), jsonOr(d.Unknown, "[]"), jsonOr(d.Result, "{}"), d.LogSeq, has, d.Drill}
	q := pgAppendNext
	if ev.Seq == 1 {
		// The drill flag is set at creation only ($30).
		q, args = pgAppendFirst, append(args, inc.Drill)
	}
	var n int
	err := s.w.QueryRowContext(ctx, q, args...).Scan(&n)
	if err != nil {
		return s.d.unique(err)
	}
	if n == 0 {
		return ErrConflict
	}
	return nil
}

// AddDecisions hands the records to the decision writers and waits until
// they are committed.
func (s *pgStore) AddDecisions(ctx context.Context, ds []Decision) error {
	if len(ds) == 0 {
		return nil
	}
	r := &writeReq{ds: ds, err: make(chan error, 1)}
	select {
	case s.decs <- r:
	case <-s.stop:
		return errors.New("store: closed")
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-r.err
}

// pgInsertDecisions inserts any number of records in one statement.
const pgInsertDecisions = `INSERT INTO decisions (id, at, kind, plan_id, revision, plan_hash, principal, incident, input, unknown, result, log_seq, drill)
SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[], $13::boolean[])`

// decisionWriter commits the records waiting, in one statement each time.
func (s *pgStore) decisionWriter() {
	batch := make([]*writeReq, 0, maxBatch)
	for {
		select {
		case r := <-s.decs:
			batch = append(batch[:0], r)
		case <-s.stop:
			for {
				select {
				case r := <-s.decs:
					r.err <- s.insertDecisions([]*writeReq{r})
				default:
					return
				}
			}
		}
	fill:
		for len(batch) < maxBatch {
			select {
			case r := <-s.decs:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		err := s.insertDecisions(batch)
		for _, r := range batch {
			if err != nil && len(batch) > 1 {
				// One bad record must not fail the others: each
				// request again on its own.
				r.err <- s.insertDecisions([]*writeReq{r})
				continue
			}
			r.err <- err
		}
	}
}

func (s *pgStore) insertDecisions(batch []*writeReq) error {
	var ids, kinds, planIDs, revs, hashes, principals, incidents, facts, unknown, results []string
	var ats, logSeqs []int64
	var drills []bool
	for _, r := range batch {
		for _, d := range r.ds {
			ids = append(ids, d.ID)
			ats = append(ats, micros(d.Time))
			kinds = append(kinds, d.Kind)
			planIDs = append(planIDs, d.PlanID)
			revs = append(revs, d.Revision)
			hashes = append(hashes, d.PlanHash)
			principals = append(principals, d.Principal)
			incidents = append(incidents, d.Incident)
			facts = append(facts, jsonOr(d.Facts, "{}"))
			unknown = append(unknown, jsonOr(d.Unknown, "[]"))
			results = append(results, jsonOr(d.Result, "{}"))
			logSeqs = append(logSeqs, d.LogSeq)
			drills = append(drills, d.Drill)
		}
	}
	_, err := s.decDB.ExecContext(context.Background(), pgInsertDecisions,
		ids, ats, kinds, planIDs, revs, hashes, principals, incidents, facts, unknown, results, logSeqs, drills)
	return err
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

// Exclusive is false: other processes write the same database.
func (s *pgStore) Exclusive() bool { return false }

func (s *pgStore) Close() error {
	s.once.Do(func() { close(s.stop) })
	s.wg.Wait()
	if s.decDB != s.w {
		s.decDB.Close()
	}
	return s.close()
}
