package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// dialect is what differs between SQLite and PostgreSQL.
type dialect struct {
	kind       string
	migrations []string // migration i+1: statements separated by ";\n"
	// rebind turns the $N placeholders the queries are written with into
	// the driver's.
	rebind func(string) string
	// unique maps a unique-constraint violation to ErrExists,
	// ErrDuplicateEvent or ErrConflict; other errors are returned as is.
	unique func(error) error
	// lock, when set, runs first in the migration transaction so that
	// processes starting together migrate one after the other.
	lock string
	// notify, when set, runs in the Publish transaction with the new
	// generation as $1.
	notify string
}

// sqlStore is the Store over database/sql shared by both dialects. Writes go
// to w, reads to r (the same pool on PostgreSQL; on SQLite a single writer
// connection and a pool of readers, which WAL lets run beside it).
type sqlStore struct {
	d    dialect
	w, r *sql.DB
	now  func() time.Time
	// prep holds the writes prepared once on the writer (SQLite, whose
	// single writer connection would otherwise compile each statement
	// every time); PostgreSQL's driver caches its statements itself.
	prep map[string]*sql.Stmt
}

// The statements of an append and of a decision record.
const (
	qInsertIncident = `INSERT INTO incidents (id, plan_hash, seq, phase, level, response, open, created, updated, drill)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)`
	qUpdateIncident = `UPDATE incidents SET seq = $1, phase = $2, level = $3, response = $4, open = $5, updated = $6
			WHERE id = $7 AND seq = $8 AND plan_hash = $9`
	qInsertEvent = `INSERT INTO events (incident, seq, event_id, type, actor, body, status, answer, principal, stored_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	qInsertDecision = `INSERT INTO decisions (id, at, kind, plan_id, revision, plan_hash, principal, incident, input, unknown, result, log_seq, drill)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`
)

// prepare prepares the hot writes on the writer.
func (s *sqlStore) prepare(ctx context.Context) error {
	s.prep = map[string]*sql.Stmt{}
	for _, q := range []string{qInsertIncident, qUpdateIncident, qInsertEvent, qInsertDecision} {
		st, err := s.w.PrepareContext(ctx, s.q(q))
		if err != nil {
			return fmt.Errorf("store: prepare: %w", err)
		}
		s.prep[q] = st
	}
	return nil
}

// exec runs one of the writes in tx, prepared where it was prepared.
func (s *sqlStore) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st := s.prep[query]; st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, s.q(query), args...)
}

func (s *sqlStore) Kind() string { return s.d.kind }

func (s *sqlStore) q(query string) string { return s.d.rebind(query) }

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(n int64) time.Time { return time.UnixMicro(n).UTC() }

func (s *sqlStore) migrate(ctx context.Context) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer tx.Rollback()
	if s.d.lock != "" {
		if _, err := tx.ExecContext(ctx, s.d.lock); err != nil {
			return fmt.Errorf("store: migrate: lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	var v int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if v > len(s.d.migrations) {
		return fmt.Errorf("store: the database is at schema version %d, newer than this server's %d; run a newer yingji-server", v, len(s.d.migrations))
	}
	for i := v; i < len(s.d.migrations); i++ {
		for _, stmt := range strings.Split(s.d.migrations[i], ";\n") {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("store: migration %d: %w", i+1, err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`), i+1, micros(s.now())); err != nil {
			return fmt.Errorf("store: migration %d: %w", i+1, err)
		}
	}
	return tx.Commit()
}

// migration2 keeps the library's decision record whole — the graded
// inputs that were not given, an accepted event's place in its log — and
// gives the earlier records the library's kinds. The same text runs on
// both dialects.
const migration2 = `ALTER TABLE decisions ADD COLUMN unknown TEXT NOT NULL DEFAULT '[]';
ALTER TABLE decisions ADD COLUMN log_seq BIGINT NOT NULL DEFAULT 0;
UPDATE decisions SET kind = 'classify' WHERE kind = 'grade';
UPDATE decisions SET kind = 'apply' WHERE kind = 'event'`

// migration3 gives incidents and the records made for them a drill (演练)
// flag. Before it a drill was known only by its id: the duty-room pages
// created exercises with ids starting "drill-", so the upgrade marks the
// existing incidents so named, and the event and migration records of
// such incidents, as drills (substr rather than LIKE: SQLite's LIKE
// ignores case, PostgreSQL's does not). From then on the flag is what the
// incident was created with and the id means nothing. The same text runs
// on both dialects.
const migration3 = `ALTER TABLE incidents ADD COLUMN drill BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE decisions ADD COLUMN drill BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE incidents SET drill = TRUE WHERE substr(id, 1, 6) = 'drill-';
UPDATE decisions SET drill = TRUE WHERE kind IN ('apply', 'migrate') AND substr(incident, 1, 6) = 'drill-'`

// SchemaVersion is the number of schema migrations this build knows.
func SchemaVersion() int { return len(sqliteMigrations) }

// appendTx performs one Append inside tx.
func (s *sqlStore) appendTx(ctx context.Context, tx *sql.Tx, a Append) error {
	inc, ev := a.Incident, a.Event
	if ev.Seq < 1 || inc.Seq != ev.Seq || ev.Incident != inc.ID {
		return fmt.Errorf("store: append: event seq %d, incident %q at %d: mismatched", ev.Seq, inc.ID, inc.Seq)
	}
	now := micros(s.now())
	if ev.Seq == 1 {
		_, err := s.exec(ctx, tx, qInsertIncident, inc.ID, inc.PlanHash, inc.Seq, inc.Phase, inc.Level, inc.Response, inc.Open, now, inc.Drill)
		if err != nil {
			return s.d.unique(err)
		}
	} else {
		res, err := s.exec(ctx, tx, qUpdateIncident, inc.Seq, inc.Phase, inc.Level, inc.Response, inc.Open, now, inc.ID, inc.Seq-1, inc.PlanHash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrConflict
		}
	}
	_, err := s.exec(ctx, tx, qInsertEvent, ev.Incident, ev.Seq, ev.ID, ev.Type, ev.Actor, string(ev.Body), ev.Status, string(ev.Answer), ev.Principal, now)
	if err != nil {
		return s.d.unique(err)
	}
	if a.Decision != nil {
		if err := s.insertDecision(ctx, tx, *a.Decision); err != nil {
			return err
		}
	}
	return nil
}

func (s *sqlStore) insertDecision(ctx context.Context, tx *sql.Tx, d Decision) error {
	_, err := s.exec(ctx, tx, qInsertDecision, d.ID, micros(d.Time), d.Kind, d.PlanID, d.Revision, d.PlanHash, d.Principal, d.Incident,
		jsonOr(d.Facts, "{}"), jsonOr(d.Unknown, "[]"), jsonOr(d.Result, "{}"), d.LogSeq, d.Drill)
	return err
}

func jsonOr(b []byte, empty string) string {
	if len(b) == 0 {
		return empty
	}
	return string(b)
}

const incidentCols = `n, id, plan_hash, seq, phase, level, response, open, drill, created, updated`

func scanIncident(row interface{ Scan(...any) error }) (Incident, error) {
	var inc Incident
	var c, u int64
	err := row.Scan(&inc.N, &inc.ID, &inc.PlanHash, &inc.Seq, &inc.Phase, &inc.Level, &inc.Response, &inc.Open, &inc.Drill, &c, &u)
	inc.Created, inc.Updated = fromMicros(c), fromMicros(u)
	return inc, err
}

func (s *sqlStore) Incident(ctx context.Context, id string) (Incident, error) {
	inc, err := scanIncident(s.r.QueryRowContext(ctx, s.q(`SELECT `+incidentCols+` FROM incidents WHERE id = $1`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Incident{}, ErrNotFound
	}
	return inc, err
}

func (s *sqlStore) Incidents(ctx context.Context, f IncidentFilter) ([]Incident, error) {
	query := `SELECT ` + incidentCols + ` FROM incidents WHERE n > $1`
	args := []any{f.After}
	if f.Open != nil {
		args = append(args, *f.Open)
		query += fmt.Sprintf(` AND open = $%d`, len(args))
	}
	if f.Phase != "" {
		args = append(args, f.Phase)
		query += fmt.Sprintf(` AND phase = $%d`, len(args))
	}
	if f.Level != "" {
		args = append(args, f.Level)
		query += fmt.Sprintf(` AND level = $%d`, len(args))
	}
	args = append(args, limit(f.Limit))
	query += fmt.Sprintf(` ORDER BY n LIMIT $%d`, len(args))
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Incident{}
	for rows.Next() {
		inc, err := scanIncident(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inc)
	}
	return out, rows.Err()
}

func limit(n int) int {
	if n <= 0 || n > 1000 {
		return 1000
	}
	return n
}

const eventCols = `incident, seq, event_id, type, actor, body, status, answer, principal, stored_at`

func scanEvent(row interface{ Scan(...any) error }) (Event, error) {
	var ev Event
	var body, answer string
	var at int64
	err := row.Scan(&ev.Incident, &ev.Seq, &ev.ID, &ev.Type, &ev.Actor, &body, &ev.Status, &answer, &ev.Principal, &at)
	ev.Body, ev.Answer, ev.Stored = []byte(body), []byte(answer), fromMicros(at)
	return ev, err
}

func (s *sqlStore) Events(ctx context.Context, incident string, after int64, lim int) ([]Event, error) {
	query := `SELECT ` + eventCols + ` FROM events WHERE incident = $1 AND seq > $2 ORDER BY seq`
	args := []any{incident, after}
	if lim > 0 {
		query += ` LIMIT $3`
		args = append(args, lim)
	}
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		ev, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

func (s *sqlStore) Event(ctx context.Context, incident, eventID string) (Event, error) {
	ev, err := scanEvent(s.r.QueryRowContext(ctx, s.q(`SELECT `+eventCols+` FROM events WHERE incident = $1 AND event_id = $2`), incident, eventID))
	if errors.Is(err, sql.ErrNoRows) {
		return Event{}, ErrNotFound
	}
	return ev, err
}

func (s *sqlStore) Migrate(ctx context.Context, fromHash string, inc Incident, d *Decision) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, s.q(`UPDATE incidents SET plan_hash = $1, phase = $2, level = $3, response = $4, open = $5, updated = $6
		WHERE id = $7 AND seq = $8 AND plan_hash = $9`), inc.PlanHash, inc.Phase, inc.Level, inc.Response, inc.Open, micros(s.now()), inc.ID, inc.Seq, fromHash)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		if _, err := s.Incident(ctx, inc.ID); errors.Is(err, ErrNotFound) {
			return ErrNotFound
		}
		return ErrConflict
	}
	if d != nil {
		if err := s.insertDecision(ctx, tx, *d); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (s *sqlStore) PutBundle(ctx context.Context, b Bundle) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM bundles WHERE hash = $1`), b.Hash).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO bundles (hash, plan_id, revision, stored_at) VALUES ($1, $2, $3, $4)`),
		b.Hash, b.PlanID, b.Revision, micros(s.now())); err != nil {
		if errors.Is(s.d.unique(err), ErrExists) {
			return nil // another node stored it first
		}
		return err
	}
	for name, data := range b.Files {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO bundle_files (hash, name, data) VALUES ($1, $2, $3)`), b.Hash, name, data); err != nil {
			return err
		}
	}
	err = tx.Commit()
	if err != nil && errors.Is(s.d.unique(err), ErrExists) {
		return nil
	}
	return err
}

func (s *sqlStore) Bundle(ctx context.Context, hash string) (Bundle, error) {
	b := Bundle{Hash: hash, Files: map[string][]byte{}}
	var at int64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT plan_id, revision, stored_at FROM bundles WHERE hash = $1`), hash).Scan(&b.PlanID, &b.Revision, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Bundle{}, ErrNotFound
	}
	if err != nil {
		return Bundle{}, err
	}
	b.Stored = fromMicros(at)
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT name, data FROM bundle_files WHERE hash = $1`), hash)
	if err != nil {
		return Bundle{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var data []byte
		if err := rows.Scan(&name, &data); err != nil {
			return Bundle{}, err
		}
		b.Files[name] = data
	}
	return b, rows.Err()
}

func (s *sqlStore) Bundles(ctx context.Context) ([]Bundle, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT hash, plan_id, revision, stored_at FROM bundles ORDER BY stored_at, hash`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Bundle{}
	for rows.Next() {
		var b Bundle
		var at int64
		if err := rows.Scan(&b.Hash, &b.PlanID, &b.Revision, &at); err != nil {
			return nil, err
		}
		b.Stored = fromMicros(at)
		out = append(out, b)
	}
	return out, rows.Err()
}

func (s *sqlStore) Publish(ctx context.Context, hash string) (int64, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var gen int64
	err = tx.QueryRowContext(ctx, s.q(`INSERT INTO current_plan (id, hash, gen, at) VALUES (1, $1, 1, $2)
		ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, gen = current_plan.gen + 1, at = excluded.at
		RETURNING gen`), hash, micros(s.now())).Scan(&gen)
	if err != nil {
		return 0, err
	}
	if s.d.notify != "" {
		if _, err := tx.ExecContext(ctx, s.d.notify, fmt.Sprint(gen)); err != nil {
			return 0, err
		}
	}
	return gen, tx.Commit()
}

func (s *sqlStore) Current(ctx context.Context) (string, int64, error) {
	var hash string
	var gen int64
	err := s.r.QueryRowContext(ctx, `SELECT hash, gen FROM current_plan WHERE id = 1`).Scan(&hash, &gen)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, ErrNotFound
	}
	return hash, gen, err
}

// addDecisionsTx stores decision records inside tx.
func (s *sqlStore) addDecisionsTx(ctx context.Context, tx *sql.Tx, ds []Decision) error {
	for _, d := range ds {
		if err := s.insertDecision(ctx, tx, d); err != nil {
			return err
		}
	}
	return nil
}

func (s *sqlStore) Decisions(ctx context.Context, f DecisionFilter) ([]Decision, error) {
	query := `SELECT seq, id, at, kind, plan_id, revision, plan_hash, principal, incident, input, unknown, result, log_seq, drill FROM decisions WHERE seq > $1`
	args := []any{f.After}
	if !f.Since.IsZero() {
		args = append(args, micros(f.Since))
		query += fmt.Sprintf(` AND at >= $%d`, len(args))
	}
	if f.Incident != "" {
		args = append(args, f.Incident)
		query += fmt.Sprintf(` AND incident = $%d`, len(args))
	}
	if f.Kind != "" {
		args = append(args, f.Kind)
		query += fmt.Sprintf(` AND kind = $%d`, len(args))
	}
	args = append(args, limit(f.Limit))
	query += fmt.Sprintf(` ORDER BY seq LIMIT $%d`, len(args))
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Decision{}
	for rows.Next() {
		var d Decision
		var at int64
		var in, unknown, res string
		if err := rows.Scan(&d.Seq, &d.ID, &at, &d.Kind, &d.PlanID, &d.Revision, &d.PlanHash, &d.Principal, &d.Incident, &in, &unknown, &res, &d.LogSeq, &d.Drill); err != nil {
			return nil, err
		}
		d.Time, d.Facts, d.Unknown, d.Result = fromMicros(at), []byte(in), []byte(unknown), []byte(res)
		out = append(out, d)
	}
	return out, rows.Err()
}

func (s *sqlStore) Ping(ctx context.Context) error { return s.r.PingContext(ctx) }

func (s *sqlStore) close() error {
	for _, st := range s.prep {
		st.Close()
	}
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}
