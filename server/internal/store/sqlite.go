package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
)

var sqliteMigrations = []string{
	// 1: the event log, the incidents, the plan bundles, the decisions.
	`CREATE TABLE bundles (hash TEXT PRIMARY KEY, plan_id TEXT NOT NULL, revision TEXT NOT NULL, stored_at BIGINT NOT NULL);
CREATE TABLE bundle_files (hash TEXT NOT NULL REFERENCES bundles (hash), name TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (hash, name));
CREATE TABLE current_plan (id INTEGER PRIMARY KEY CHECK (id = 1), hash TEXT NOT NULL REFERENCES bundles (hash), gen BIGINT NOT NULL, at BIGINT NOT NULL);
CREATE TABLE incidents (n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, plan_hash TEXT NOT NULL REFERENCES bundles (hash),
  seq BIGINT NOT NULL, phase TEXT NOT NULL, level TEXT NOT NULL, response TEXT NOT NULL, open BOOLEAN NOT NULL, created BIGINT NOT NULL, updated BIGINT NOT NULL);
CREATE INDEX incidents_open ON incidents (open, n);
CREATE TABLE events (incident TEXT NOT NULL REFERENCES incidents (id), seq BIGINT NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL, actor TEXT NOT NULL,
  body TEXT NOT NULL, status INTEGER NOT NULL, answer TEXT NOT NULL, principal TEXT NOT NULL, stored_at BIGINT NOT NULL,
  PRIMARY KEY (incident, seq), UNIQUE (incident, event_id));
CREATE TABLE decisions (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, at BIGINT NOT NULL, kind TEXT NOT NULL,
  plan_id TEXT NOT NULL, revision TEXT NOT NULL, plan_hash TEXT NOT NULL, principal TEXT NOT NULL, incident TEXT NOT NULL,
  input TEXT NOT NULL, result TEXT NOT NULL);
CREATE INDEX decisions_incident ON decisions (incident, seq);
CREATE INDEX decisions_at ON decisions (at)`,
	// 2: the decision records as the library makes them.
	migration2,
	// 3: the drill flag of incidents and of their records.
	migration3,
}

// sqliteStore adds group commit to the SQL store: the writes (appends and
// decision records) that arrive while a transaction is committing wait and
// are committed together by one writer, in one transaction and so one
// fsync, each in its own savepoint so that one conflict fails only its own
// write. A write is answered only after its commit.
type sqliteStore struct {
	*sqlStore
	lock      *os.File
	exclusive bool
	reqs      chan *writeReq
	noGroup   bool
	toOS      bool        // decision-only commits are not flushed (DecisionsToOS)
	full      bool        // the writer connection's synchronous setting is FULL
	unflushed atomic.Bool // a commit has not been flushed to the disk yet
	wal       *os.File    // the WAL file, opened to flush it
	path      string
	chunks    map[int]*sql.Stmt // multi-row inserts of decision records, by rows; the writer's
	stop      chan struct{}
	wg        sync.WaitGroup
	once      sync.Once
}

// writeReq is one write waiting for the writer: an append, or decision
// records.
type writeReq struct {
	a   *Append
	ds  []Decision
	err chan error
}

// groupYields is how many scheduler turns the writer gives the writes
// about to arrive before it commits what it has.
const groupYields = 3

// maxBatch bounds a group commit.
const maxBatch = 512

func sqlitePath(db, dataDir string) string {
	if db != "" {
		return strings.TrimPrefix(strings.TrimPrefix(db, "sqlite://"), "sqlite:")
	}
	if dataDir == "" {
		dataDir = "yingji-data"
	}
	return filepath.Join(dataDir, "yingji.db")
}

// OpenSQLite opens (creating it if need be) the SQLite database at path in
// WAL mode with synchronous=FULL, and runs the schema migrations.
func OpenSQLite(ctx context.Context, path string, opts Options) (Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	lock, exclusive, err := lockDB(path)
	if err != nil {
		return nil, err
	}
	pragmas := url.Values{}
	// temp_store in memory: the savepoints of a group commit journal there.
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(1)", "temp_store(MEMORY)", "cache_size(-32768)"} {
		pragmas.Add("_pragma", p)
	}
	w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas.Encode()+"&_txlock=immediate")
	if err != nil {
		unlock(lock)
		return nil, fmt.Errorf("store: %w", err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas.Encode())
	if err != nil {
		w.Close()
		unlock(lock)
		return nil, fmt.Errorf("store: %w", err)
	}
	r.SetMaxOpenConns(8)
	base := &sqlStore{w: w, r: r, now: time.Now, d: dialect{
		kind:       "sqlite",
		migrations: sqliteMigrations,
		rebind:     func(q string) string { return strings.ReplaceAll(q, "$", "?") },
		unique:     sqliteUnique,
	}}
	if err := base.migrate(ctx); err != nil {
		base.close()
		unlock(lock)
		return nil, err
	}
	if err := base.prepare(ctx); err != nil {
		base.close()
		unlock(lock)
		return nil, err
	}
	s := &sqliteStore{sqlStore: base, lock: lock, exclusive: exclusive, reqs: make(chan *writeReq, maxBatch), noGroup: opts.NoGroupCommit, stop: make(chan struct{}),
		toOS: opts.DecisionsToOS, full: true, path: path}
	if err := s.prepareChunks(ctx); err != nil {
		base.close()
		unlock(lock)
		return nil, err
	}
	s.wg.Add(1)
	go s.writer()
	if s.toOS {
		s.wg.Go(s.flusher)
	}
	return s, nil
}

func sqliteUnique(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	msg := se.Error()
	switch {
	case !strings.Contains(msg, "constraint failed"):
		return err
	case strings.Contains(msg, "incidents.id"), strings.Contains(msg, "bundles.hash"):
		return ErrExists
	case strings.Contains(msg, "events.event_id"):
		return ErrDuplicateEvent
	case strings.Contains(msg, "events.seq"):
		return ErrConflict
	}
	return err
}

func (s *sqliteStore) Append(ctx context.Context, a Append) error {
	return s.write(ctx, &writeReq{a: &a})
}

// AddDecisions stores the records in the writer's next commit and returns
// once it is durable. With --no-group-commit they are still written
// together with whatever else is waiting: the option is about events.
func (s *sqliteStore) AddDecisions(ctx context.Context, ds []Decision) error {
	if len(ds) == 0 {
		return nil
	}
	return s.write(ctx, &writeReq{ds: ds})
}

func (s *sqliteStore) write(ctx context.Context, r *writeReq) error {
	r.err = make(chan error, 1)
	select {
	case s.reqs <- r:
	case <-s.stop:
		return errors.New("store: closed")
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued the write is committed or failed whatever the caller
	// does, so wait for the answer: it tells the truth about the log.
	return <-r.err
}

func (s *sqliteStore) writer() {
	defer s.wg.Done()
	batch := make([]*writeReq, 0, maxBatch)
	for {
		var first *writeReq
		select {
		case first = <-s.reqs:
		case <-s.stop:
			// Answer whatever is still queued.
			for {
				select {
				case r := <-s.reqs:
					s.commit([]*writeReq{r})
				default:
					return
				}
			}
		}
		batch = append(batch[:0], first)
		yields := 0
	fill:
		for len(batch) < maxBatch {
			if s.noGroup && first.a != nil {
				break // one commit (and fsync) per event
			}
			select {
			case r := <-s.reqs:
				if s.noGroup && r.a != nil {
					// Commit the decisions gathered so far, then this
					// append alone.
					s.commit(batch)
					batch = append(batch[:0], r)
					break fill
				}
				batch = append(batch, r)
			default:
				// Nothing waiting: let the goroutines that are about to
				// write run first, a few times while writes keep coming.
				// A commit costs the same for one write as for many
				// (the WAL frames, the fsync), so a busy server gathers
				// more per commit at the price of a few scheduler turns.
				if yields >= groupYields || len(batch) == 1 && yields > 0 {
					break fill
				}
				yields++
				runtime.Gosched()
			}
		}
		s.commit(batch)
	}
}

// commit writes a batch in one transaction, one savepoint per write. The
// commit is flushed to the disk (synchronous=FULL) unless it holds only
// decision records and the store writes those to the OS (DecisionsToOS).
func (s *sqliteStore) commit(batch []*writeReq) {
	ctx := context.Background()
	full := !s.toOS || slices.ContainsFunc(batch, func(r *writeReq) bool { return r.a != nil })
	if full != s.full {
		mode := "NORMAL"
		if full {
			mode = "FULL"
		}
		if _, err := s.w.ExecContext(ctx, "PRAGMA synchronous = "+mode); err != nil {
			for _, r := range batch {
				r.err <- err
			}
			return
		}
		s.full = full
	}
	if !full {
		defer s.unflushed.Store(true)
	}
	errs := make([]error, len(batch))
	fail := func(err error) {
		for _, r := range batch {
			r.err <- err
		}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		fail(err)
		return
	}
	// One write in a savepoint of its own, so that its failure undoes
	// only it.
	alone := func(i int, r *writeReq) error {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT a`); err != nil {
			return err
		}
		if r.a != nil {
			errs[i] = s.appendTx(ctx, tx, *r.a)
		} else {
			errs[i] = s.addDecisionsTx(ctx, tx, r.ds)
		}
		if errs[i] != nil {
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO a`); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `RELEASE a`)
		return err
	}
	// The appends in their order, each alone; then every decision record
	// of the batch in a few multi-row inserts, together in one savepoint —
	// and, should that fail, each request's records alone, so that the
	// failure is its own.
	var decs []int
	var records []Decision
	for i, r := range batch {
		if r.a == nil {
			decs = append(decs, i)
			records = append(records, r.ds...)
			continue
		}
		if err := alone(i, r); err != nil {
			tx.Rollback()
			fail(err)
			return
		}
	}
	if len(decs) > 0 {
		if len(records) <= maxRows {
			// One statement, which SQLite undoes by itself if it fails.
			if err := s.insertDecisionRows(ctx, tx, records); err != nil {
				for _, i := range decs {
					if err := alone(i, batch[i]); err != nil {
						tx.Rollback()
						fail(err)
						return
					}
				}
			}
		} else {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT d`); err != nil {
				tx.Rollback()
				fail(err)
				return
			}
			if err := s.insertDecisionRows(ctx, tx, records); err != nil {
				if _, err := tx.ExecContext(ctx, `ROLLBACK TO d`); err != nil {
					tx.Rollback()
					fail(err)
					return
				}
				for _, i := range decs {
					if err := alone(i, batch[i]); err != nil {
						tx.Rollback()
						fail(err)
						return
					}
				}
			}
			if _, err := tx.ExecContext(ctx, `RELEASE d`); err != nil {
				tx.Rollback()
				fail(err)
				return
			}
		}
	}
	if err := tx.Commit(); err != nil {
		fail(err)
		return
	}
	if full {
		// The WAL is flushed up to here, earlier commits with it.
		s.unflushed.Store(false)
	}
	for i, r := range batch {
		r.err <- errs[i]
	}
}

func (s *sqliteStore) Close() error {
	s.once.Do(func() { close(s.stop) })
	s.wg.Wait()
	if s.wal != nil {
		s.wal.Close()
	}
	for _, st := range s.chunks {
		st.Close()
	}
	err := s.close()
	unlock(s.lock)
	return err
}

// decisionCols is the number of columns a decision record is inserted
// with.
const decisionCols = 13

// maxRows is the most decision records one prepared insert takes: a
// group commit inserts up to maxRows records in one statement (prepared
// for every count from 1), more in several.
const maxRows = 64

// insertDecisionRows inserts records in as few statements as maxRows
// allows, each prepared once on the writer.
func (s *sqliteStore) insertDecisionRows(ctx context.Context, tx *sql.Tx, ds []Decision) error {
	for len(ds) > 0 {
		n := min(len(ds), maxRows)
		st := s.chunks[n]
		args := make([]any, 0, decisionCols*n)
		for _, d := range ds[:n] {
			args = append(args, d.ID, micros(d.Time), d.Kind, d.PlanID, d.Revision, d.PlanHash, d.Principal, d.Incident,
				jsonOr(d.Facts, "{}"), jsonOr(d.Unknown, "[]"), jsonOr(d.Result, "{}"), d.LogSeq, d.Drill)
		}
		if _, err := tx.StmtContext(ctx, st).ExecContext(ctx, args...); err != nil {
			return err
		}
		ds = ds[n:]
	}
	return nil
}

// prepareChunks prepares the multi-row inserts, before the writer runs:
// the writer's one connection is busy inside its transactions.
func (s *sqliteStore) prepareChunks(ctx context.Context) error {
	s.chunks = map[int]*sql.Stmt{}
	for n := 1; n <= maxRows; n++ {
		var b strings.Builder
		b.WriteString(`INSERT INTO decisions (id, at, kind, plan_id, revision, plan_hash, principal, incident, input, unknown, result, log_seq, drill) VALUES `)
		row := "(?" + strings.Repeat(", ?", decisionCols-1) + ")"
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(row)
		}
		st, err := s.w.PrepareContext(ctx, b.String())
		if err != nil {
			return fmt.Errorf("store: prepare: %w", err)
		}
		s.chunks[n] = st
	}
	return nil
}

// flusher flushes the WAL to the disk every FlushInterval while commits
// made without a flush (decision records, DecisionsToOS) wait for one.
func (s *sqliteStore) flusher() {
	t := time.NewTicker(FlushInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			s.flush()
			return
		case <-t.C:
			s.flush()
		}
	}
}

// flush fsyncs the WAL file if a commit is waiting for it. fsync flushes
// the file's data whichever descriptor wrote it.
func (s *sqliteStore) flush() {
	if !s.unflushed.Swap(false) {
		return
	}
	if s.wal == nil {
		f, err := os.OpenFile(s.path+"-wal", os.O_RDWR, 0)
		if err != nil {
			s.unflushed.Store(true)
			return
		}
		s.wal = f
	}
	if err := s.wal.Sync(); err != nil {
		s.wal.Close()
		s.wal = nil
		s.unflushed.Store(true)
	}
}

// Exclusive reports whether this process holds the database's lock.
func (s *sqliteStore) Exclusive() bool { return s.exclusive }

func unlock(f *os.File) {
	if f != nil {
		f.Close()
	}
}
