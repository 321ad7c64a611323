// Package store keeps the server's durable state: per incident an
// append-only event log with a contiguous sequence number and unique event
// ids, the plan bundles by content hash, the plan every node serves, and the
// decision records. Two implementations share one SQL schema: SQLite
// (embedded, one process) and PostgreSQL (several server processes).
//
// A write returns only after it is durably committed (SQLite in WAL mode
// with synchronous=FULL, or a PostgreSQL commit). A Store is safe for
// concurrent use by any number of goroutines and, on PostgreSQL, by any
// number of processes: concurrent appends to one incident are ordered by
// the sequence number, and the loser of a race gets ErrConflict.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Errors a Store returns; test them with errors.Is.
var (
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: the incident is no longer at the sequence number (or
	// under the plan) the append or migration was computed against.
	ErrConflict = errors.New("store: the incident changed meanwhile")
	// ErrExists: an incident with that id exists already.
	ErrExists = errors.New("store: the incident exists")
	// ErrDuplicateEvent: the incident's log already holds that event id.
	ErrDuplicateEvent = errors.New("store: the event id is already in the log")
)

// Incident is the stored summary row of one incident: its plan, its log
// length and the parts of its state that listings filter on.
type Incident struct {
	ID       string `json:"id"`
	PlanHash string `json:"planHash"`
	Seq      int64  `json:"seq"`
	Phase    string `json:"phase"`
	Level    string `json:"level"`
	Response string `json:"response"`
	Open     bool   `json:"open"`
	// Drill marks an exercise (演练). It is set when the incident is
	// created and never changed afterwards.
	Drill   bool      `json:"drill"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	// N orders incidents by creation; the listing cursor.
	N int64 `json:"-"`
}

// Event is one stored event of an incident's log.
type Event struct {
	Incident string
	Seq      int64
	ID       string
	Type     string
	Actor    string
	// Body is the event as the workflow logged it (JSON).
	Body json.RawMessage
	// Status and Answer are the HTTP answer given when it was accepted,
	// returned again on re-delivery.
	Status    int
	Answer    json.RawMessage
	Principal string
	Stored    time.Time
}

// Append adds one event to an incident's log. For the first event
// (Event.Seq == 1) it creates the incident; otherwise the incident must be
// at Event.Seq-1 under Incident.PlanHash, or the append fails with
// ErrConflict. Incident carries the summary after the event.
type Append struct {
	Incident Incident
	Event    Event
	// Decision, when set, is stored in the same transaction.
	Decision *Decision
}

// Bundle is the exact content of a plan folder, by content hash.
type Bundle struct {
	Hash     string            `json:"hash"`
	PlanID   string            `json:"id"`
	Revision string            `json:"revision"`
	Files    map[string][]byte `json:"-"`
	Stored   time.Time         `json:"storedAt"`
}

// Decision is one stored decision record: the library's record
// (yingji.Decision) in columns — what was decided, under which plan, from
// which facts, for whom — and where it sits in the record order (Seq).
type Decision struct {
	Seq       int64
	ID        string
	Time      time.Time
	Kind      string // classify, roster, apply (the library's kinds) or migrate (the server's)
	PlanID    string
	Revision  string
	PlanHash  string
	Principal string
	Incident  string
	// Facts, Unknown and Result are the record's JSON parts.
	Facts   json.RawMessage
	Unknown json.RawMessage
	Result  json.RawMessage
	// LogSeq is, for an accepted event, its position in the incident's
	// log (the record is stored in the event's own transaction).
	LogSeq int64
	// Drill marks a record made for a drill (演练) incident: an event
	// posted to it (kind apply, accepted or refused) or its migration.
	Drill bool
}

// IncidentFilter selects a page of incidents, in creation order.
type IncidentFilter struct {
	Open         *bool
	Phase, Level string
	After        int64 // the cursor: the N of the last incident of the previous page
	Limit        int
}

// DecisionFilter selects a page of decision records, in record order.
type DecisionFilter struct {
	Since    time.Time
	Incident string
	Kind     string
	After    int64
	Limit    int
}

// Store is the durable state of the server; see the package doc.
type Store interface {
	// Kind is "sqlite" or "postgres".
	Kind() string
	// Exclusive reports whether this process is the only one that writes
	// the database (SQLite holds a lock on it): what the process wrote
	// itself is then all there is, and a cache of it needs no re-reading.
	Exclusive() bool
	Append(ctx context.Context, a Append) error
	Incident(ctx context.Context, id string) (Incident, error)
	Incidents(ctx context.Context, f IncidentFilter) ([]Incident, error)
	// Events returns the log of an incident after seq after, in order, at
	// most limit events (0: all).
	Events(ctx context.Context, incident string, after int64, limit int) ([]Event, error)
	Event(ctx context.Context, incident, eventID string) (Event, error)
	// Migrate moves an incident to another plan if it is still at inc.Seq
	// under fromHash; inc is the summary under the new plan.
	Migrate(ctx context.Context, fromHash string, inc Incident, d *Decision) error

	PutBundle(ctx context.Context, b Bundle) error
	Bundle(ctx context.Context, hash string) (Bundle, error)
	// Bundles lists the stored bundles without their files.
	Bundles(ctx context.Context) ([]Bundle, error)
	// Publish makes hash the plan every node serves and returns its
	// generation, which grows with each publication.
	Publish(ctx context.Context, hash string) (int64, error)
	// Current returns the published plan and its generation (ErrNotFound
	// before the first publication).
	Current(ctx context.Context) (string, int64, error)

	// AddDecisions stores decision records durably before it returns
	// (SQLite: in the writer's next group commit; PostgreSQL: in one
	// multi-row insert with the records other requests wait to store).
	AddDecisions(ctx context.Context, ds []Decision) error
	Decisions(ctx context.Context, f DecisionFilter) ([]Decision, error)

	Ping(ctx context.Context) error
	Close() error
}

// Notifier is implemented by stores that tell other processes at once when
// a plan is published (PostgreSQL's LISTEN/NOTIFY). Listen calls fn for
// each publication until ctx ends.
type Notifier interface {
	Listen(ctx context.Context, fn func()) error
}

// Open opens the store a --db value names: "" or a file path for SQLite
// (dataDir/yingji.db by default), postgres:// or postgresql:// for
// PostgreSQL.
func Open(ctx context.Context, db, dataDir string, opts Options) (Store, error) {
	if isPostgres(db) {
		return OpenPostgres(ctx, db, opts)
	}
	return OpenSQLite(ctx, sqlitePath(db, dataDir), opts)
}

// Options tune a store.
type Options struct {
	// NoGroupCommit makes SQLite commit (and fsync) every event on its
	// own instead of committing the appends waiting at one time together.
	NoGroupCommit bool
	// DecisionsToOS makes AddDecisions return once the records are written
	// to the database — in the operating system's hands, so they survive
	// the server process however it ends — and have them flushed to the
	// disk within FlushInterval (SQLite) or by PostgreSQL's WAL writer
	// (synchronous_commit off, within three wal_writer_delay), instead of
	// waiting for a flush of their own. An event and its record are
	// flushed before Append returns either way.
	DecisionsToOS bool
}

// FlushInterval bounds how long a record written with DecisionsToOS waits
// for the disk on SQLite.
const FlushInterval = 100 * time.Millisecond
