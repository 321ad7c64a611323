package workflow

import (
	"slices"
	"sync/atomic"
)

// What an instance accumulates — its event log, the tasks it opened and
// closed, the flags it raised — grows with every event. Copying it on each
// Apply made a long log quadratic (issue 15 (12): 4k events 11.9 s, 100k
// never finished). Instead it is kept as append-only arrays in a store that
// the instances derived one from another share:
//
//   - an Instance holds prefixes of the store's arrays, clipped so that its
//     length is its capacity: the elements it can reach never change, and
//     a caller's append to what Log returns reallocates;
//   - the store's head is the log length of its newest instance. Apply on
//     that instance claims the store (head becomes busy), appends in
//     place, updates the store's indexes, and hands the store on to the
//     instance it returns; a rejected event truncates the arrays back and
//     undoes the index changes;
//   - Apply on any other instance of the store — an older one, a branch,
//     the same instance applied to twice, one decoded from JSON — finds the
//     head elsewhere and builds a store of its own from the prefixes it
//     holds (time proportional to its history, once per branch).
//
// So an Instance returned earlier is never changed by a later Apply, and
// applying n events in turn costs O(n) overall.

const busy = -1

// history is the part of an instance that lives in a store.
type history struct {
	st     *store
	log    []Event
	tasks  []Task    // as opened (state open), in opening order
	closes []closure // in closing order
	flags  []Flag
}

// closure is a task closed as done or waived.
type closure struct {
	task   int32 // index in tasks
	state  TaskState
	at     Time
	by     string // the event id
	reason string
	// code and params are the machine form of a reason the engine
	// writes (Task.ReasonCode).
	code   string
	params map[string]string
	late   bool
}

// defState is what the store knows of a task definition's openings.
type defState struct {
	latest int32 // index of the latest opening
	count  int32 // openings so far
}

// store holds the arrays the instances of one chain share, and indexes
// over its newest instance that only the Apply holding the store reads or
// writes.
type store struct {
	head atomic.Int64

	log     []Event
	tasks   []Task
	closes  []closure
	flags   []Flag
	flagIDs []string // the flags' ids, for instance.flags

	eventIDs map[string]int32    // event id → position in log
	taskIDs  map[string]int32    // task instance id → index in tasks
	byDef    map[string]defState // task definition id → its openings
	closedIn []int32             // per task, the index of its closure in closes; -1 while open
	open     []int32             // the open tasks, in opening order
	vars     map[string]any      // the variables as expressions see them; nil until built
}

// acquire returns the store an Apply on h may change: h's own when h is
// its newest instance and no other Apply holds it, else a new store built
// from h. Either way the store is held (head is busy) until release.
func (h history) acquire() *store {
	if st := h.st; st != nil && st.head.CompareAndSwap(int64(len(h.log)), busy) {
		return st
	}
	return h.copyStore()
}

// copyStore builds a store of h's own. Its arrays start as h's clipped
// prefixes: the first append to each copies it (Go's append never writes
// past a slice's capacity), so a branch copies only what it extends.
func (h history) copyStore() *store {
	st := &store{
		log:      h.log,
		tasks:    h.tasks,
		closes:   h.closes,
		flags:    h.flags,
		flagIDs:  make([]string, len(h.flags), len(h.flags)+1),
		eventIDs: make(map[string]int32, len(h.log)+1),
		taskIDs:  make(map[string]int32, len(h.tasks)),
		byDef:    make(map[string]defState, len(h.tasks)),
		closedIn: make([]int32, len(h.tasks), len(h.tasks)+4),
	}
	st.head.Store(busy)
	for i, ev := range h.log {
		if _, dup := st.eventIDs[ev.ID]; !dup {
			st.eventIDs[ev.ID] = int32(i)
		}
	}
	for i, f := range h.flags {
		st.flagIDs[i] = f.ID
	}
	for i := range h.tasks {
		t := &h.tasks[i]
		st.taskIDs[t.ID] = int32(i)
		for _, k := range openingKeys(t) {
			d := st.byDef[k]
			st.byDef[k] = defState{latest: int32(i), count: d.count + 1}
		}
		st.closedIn[i] = -1
	}
	for k, c := range h.closes {
		st.closedIn[c.task] = int32(k)
	}
	for i, k := range st.closedIn {
		if k < 0 {
			st.open = append(st.open, int32(i))
		}
	}
	return st
}

// history returns the clipped prefixes of the store's arrays as they are
// now: the history of the instance an Apply is about to return.
func (st *store) history() history {
	return history{st: st,
		log:    st.log[:len(st.log):len(st.log)],
		tasks:  st.tasks[:len(st.tasks):len(st.tasks)],
		closes: st.closes[:len(st.closes):len(st.closes)],
		flags:  st.flags[:len(st.flags):len(st.flags)],
	}
}

// taskList is every task of h in opening order, with its state.
func (h history) taskList() []Task {
	out := slices.Clone(h.tasks)
	for _, c := range h.closes {
		c.apply(&out[c.task])
	}
	return out
}

func (c closure) apply(t *Task) {
	at := c.at
	t.State, t.ClosedAt, t.ClosedBy, t.Reason, t.Late = c.state, &at, c.by, c.reason, c.late
	t.ReasonCode, t.ReasonParams = c.code, c.params
}

// task finds a task of h by its instance id.
func (h history) task(id string) (Task, bool) {
	i := slices.IndexFunc(h.tasks, func(t Task) bool { return t.ID == id })
	if i < 0 {
		return Task{}, false
	}
	t := h.tasks[i]
	for _, c := range h.closes {
		if int(c.task) == i {
			c.apply(&t)
		}
	}
	return t, true
}

// openTasks lists the tasks of h still open, in opening order.
func (h history) openTasks() []Task {
	closed := make([]bool, len(h.tasks))
	for _, c := range h.closes {
		closed[c.task] = true
	}
	var out []Task
	for i, t := range h.tasks {
		if !closed[i] {
			out = append(out, t)
		}
	}
	return out
}

// fromTasks splits tasks in opening order (as JSON holds them) into the
// records a history keeps.
func fromTasks(tasks []Task) ([]Task, []closure) {
	opened := make([]Task, len(tasks))
	var closes []closure
	for i, t := range tasks {
		o := t
		o.State, o.ClosedAt, o.ClosedBy, o.Reason, o.Late = TaskOpen, nil, "", "", false
		o.ReasonCode, o.ReasonParams = "", nil
		opened[i] = o
		if t.State != TaskOpen {
			c := closure{task: int32(i), state: t.State, by: t.ClosedBy, reason: t.Reason, code: t.ReasonCode, params: t.ReasonParams, late: t.Late}
			if t.ClosedAt != nil {
				c.at = *t.ClosedAt
			}
			closes = append(closes, c)
		}
	}
	return opened, closes
}

// mark is the lengths of a store's arrays before an Apply, and what the
// Apply changed in its indexes, so that a rejected event leaves the store
// as it found it.
type mark struct {
	log, tasks, closes, flags int
	open                      []int32
	byDef                     []defUndo
	vars                      map[string]any
}

type defUndo struct {
	id  string
	old defState
	had bool
}

func (st *store) mark() mark {
	return mark{log: len(st.log), tasks: len(st.tasks), closes: len(st.closes), flags: len(st.flags),
		open: slices.Clone(st.open), vars: st.vars}
}

// rollback undoes what an Apply changed since m.
func (st *store) rollback(m *mark) {
	for _, c := range st.closes[m.closes:] {
		st.closedIn[c.task] = -1
	}
	for _, t := range st.tasks[m.tasks:] {
		delete(st.taskIDs, t.ID)
	}
	for i := len(m.byDef) - 1; i >= 0; i-- {
		u := m.byDef[i]
		if u.had {
			st.byDef[u.id] = u.old
		} else {
			delete(st.byDef, u.id)
		}
	}
	clear(st.log[m.log:])
	clear(st.tasks[m.tasks:])
	clear(st.closes[m.closes:])
	clear(st.flags[m.flags:])
	st.log, st.tasks, st.closes = st.log[:m.log], st.tasks[:m.tasks], st.closes[:m.closes]
	st.flags, st.flagIDs, st.closedIn = st.flags[:m.flags], st.flagIDs[:m.flags], st.closedIn[:m.tasks]
	st.open = m.open
	st.vars = m.vars
}

// openTask records a task opened by the Apply holding the store.
func (st *store) openTask(m *mark, t Task) {
	i := int32(len(st.tasks))
	st.tasks = append(st.tasks, t)
	st.closedIn = append(st.closedIn, -1)
	st.taskIDs[t.ID] = i
	for _, k := range openingKeys(&t) {
		old, had := st.byDef[k]
		m.byDef = append(m.byDef, defUndo{id: k, old: old, had: had})
		st.byDef[k] = defState{latest: i, count: old.count + 1}
	}
	st.open = append(st.open, i)
}

// openingKeys are the names under which the store counts a task's
// openings: its definition, and, for a task of several assignees, its
// definition at its assignee ("report-up@county-safety"), which counts
// that assignee's openings on their own.
func openingKeys(t *Task) []string {
	if base := taskBase(t.ID); base != t.Def {
		return []string{t.Def, base}
	}
	return []string{t.Def}
}

// closeTask records a task closed by the Apply holding the store.
func (st *store) closeTask(c closure) {
	st.closedIn[c.task] = int32(len(st.closes))
	st.closes = append(st.closes, c)
	if j := slices.Index(st.open, c.task); j >= 0 {
		st.open = slices.Delete(st.open, j, j+1) // mark holds its own copy
	}
}

// lookup resolves a task reference as the expression view does: a task
// definition id names its latest opening, anything else a task instance
// id. It returns -1 when nothing matches.
func (st *store) lookup(ref string) int32 {
	if d, ok := st.byDef[ref]; ok {
		return d.latest
	}
	if i, ok := st.taskIDs[ref]; ok {
		return i
	}
	return -1
}
