package workflow

import (
	"context"
	"slices"
	"strings"
)

// ActorResolver is what the workflow needs from an organisation chart: which
// actors exist, and the id an alias stands for. Actors are the units,
// placeholders ("local-government"), groups and posts that may act or be
// given tasks. The root package adapts the orgchart to it.
//
// An ActorResolver must be safe for concurrent reads and must not change while
// a Definition compiled against it is in use.
type ActorResolver interface {
	// Actor resolves an id or alias to the actor's id.
	Actor(idOrAlias string) (id string, ok bool)
	// Actors lists every actor id, for suggestions.
	Actors() []string
}

// RoleResolver is optionally implemented by an ActorResolver whose concrete
// actors stand in for roles: "qitai-gov" acts as "local-government" for an
// incident in 奇台县. Guards test roles with acts(event.actor, "role").
//
// Concurrency: the ActorResolver's contract holds for Roles too: safe for
// concurrent reads, deterministic, unchanging while in use.
type RoleResolver interface {
	ActorResolver
	// Roles lists the roles actor id may act as, besides itself.
	Roles(id string) []string
}

// ActorNamer is optionally implemented by an ActorResolver that knows the
// actors' display names (州应急管理局 for yjj): the effects, tasks and
// deadlines then carry them beside the ids.
//
// Concurrency: the ActorResolver's contract holds for ActorName too.
type ActorNamer interface {
	// ActorName returns the name of the actor with the given id.
	ActorName(id string) (name string, ok bool)
}

// ActorShortNamer is optionally implemented by an ActorNamer that knows
// the short names a plan gives some of its actors (昌吉州指挥部 for
// 昌吉州生产安全事故应急救援指挥部, "以下简称…"): reports written for
// people name the actors by them.
//
// Concurrency: the ActorResolver's contract holds for ActorShortName too.
type ActorShortNamer interface {
	// ActorShortName returns the short name of the actor with the given
	// id, when the plan gives it one.
	ActorShortName(id string) (short string, ok bool)
}

// IncidentChecker is optionally implemented by an ActorResolver that also
// holds the lists a grading input's ids refer to (grading.yaml's ref:,
// "industries" and "localities" of the orgchart). When it does, every
// incident an event carries has the ids of such inputs checked and its
// aliases resolved, so that a misspelt locality is an invalid event
// naming the field, not a silent empty roster.
//
// Like the ActorResolver, it must be safe for concurrent reads and must not
// change while a Definition compiled against it is in use.
type IncidentChecker interface {
	// Ref resolves key (an id, name or alias) in the list named ref to
	// its id.
	Ref(ref, key string) (id string, ok bool)
	// Refs lists the ids of the list named ref, for suggestions; nil when
	// the resolver does not hold that list, whose ids are then not
	// checked.
	Refs(ref string) []string
}

// Actor is one entry of an Actors resolver.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Actor struct {
	ID string `json:"id"`
	// Name is the display name; Aliases are the other names events may
	// use for the actor.
	Name string `json:"name,omitempty"`
	// Short is the short name the plan gives the actor, if any.
	Short   string   `json:"short,omitempty"`
	Aliases []string `json:"aliases,omitempty"`
	Roles   []string `json:"roles,omitempty"`
}

// Actors is an ActorResolver held in memory: for tests, synthetic plans and
// hosts without an orgchart. Its zero value is an empty resolver.
//
// Concurrency: its methods only read it, so an Actors is safe for concurrent
// use as long as nobody modifies it after handing it to Compile.
type Actors []Actor

// Actor resolves an id, name or alias.
func (as Actors) Actor(key string) (string, bool) {
	key = strings.TrimSpace(key)
	for _, a := range as {
		if a.ID == key || a.Name != "" && a.Name == key || a.Short != "" && a.Short == key || slices.Contains(a.Aliases, key) {
			return a.ID, true
		}
	}
	return "", false
}

// Actors lists the ids.
func (as Actors) Actors() []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

// ActorName returns an actor's Name, when it has one.
func (as Actors) ActorName(id string) (string, bool) {
	for _, a := range as {
		if a.ID == id && a.Name != "" {
			return a.Name, true
		}
	}
	return "", false
}

// ActorShortName returns an actor's Short name, when it has one.
func (as Actors) ActorShortName(id string) (string, bool) {
	for _, a := range as {
		if a.ID == id && a.Short != "" {
			return a.Short, true
		}
	}
	return "", false
}

// Roles lists the roles an actor stands in for.
func (as Actors) Roles(id string) []string {
	for _, a := range as {
		if a.ID == id {
			return a.Roles
		}
	}
	return nil
}

// RosterSource is an optional hook that names who is told or engaged when
// a response level is activated (the orgchart's Activate). It is called
// during Apply, so it must be deterministic, free of side effects and safe
// for concurrent use; an error it returns is reported in the effects, not
// as a rejection.
type RosterSource interface {
	Roster(ctx context.Context, response string, industries, localities []string) ([]Recipient, error)
}

// RosterFunc adapts a function to RosterSource.
//
// Concurrency: f must meet RosterSource's contract (deterministic, free of side
// effects, safe for concurrent use).
type RosterFunc func(ctx context.Context, response string, industries, localities []string) ([]Recipient, error)

// Roster calls f.
func (f RosterFunc) Roster(ctx context.Context, response string, industries, localities []string) ([]Recipient, error) {
	return f(ctx, response, industries, localities)
}

// Recipient is one roster entry handed to the workflow.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Recipient struct {
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	Clause      string `json:"clause,omitempty"`
	By          string `json:"by,omitempty"`
	Engaged     bool   `json:"engaged,omitempty"`
	Conditional bool   `json:"conditional,omitempty"`
}
