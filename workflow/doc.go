// Package workflow runs a plan's response process — phases, events,
// guards, tasks and deadlines written as data in workflow.yaml — as a state
// machine whose state is a value rebuilt from its event log. Nothing of a
// particular plan lives in Go: the Changji phases, the 15 minutes of 3.2,
// the clauses, units and guard expressions are all in the YAML, and a
// workflow of another jurisdiction loads the same way.
//
// # Using it
//
// Compile workflow.yaml against the plan's grading rules and an
// ActorResolver of its actors (the orgchart), bind it to the plan with
// ForPlan, then drive instances:
//
//	def, ds := workflow.Compile("workflow.yaml", src, plan.Grading,
//		workflow.WithActors(actors)) // all diagnostics, sorted
//	def = def.ForPlan(workflow.PlanRef{ID: plan.ID(), Revision: …, Hash: plan.Hash})
//	inst := def.Start("incident-42")
//	inst, effects, err := def.Apply(ctx, inst, event)  // all-or-nothing
//	overdue := workflow.Due(inst, clock.Now())          // the caller's clock
//	inst, err = def.Replay(ctx, "incident-42", log)      // after a restart
//	inst, err = newDef.Rebase(ctx, inst)                 // after a reload
//
// Options: WithActors (the orgchart; an ActorResolver that is also a
// RoleResolver, IncidentChecker or ActorNamer is used for those too),
// MaxNodes and MemoryBudget for the expressions, MaxLog for the events one
// instance may hold. Compile reports a bad option as a diagnostic
// (CodeOption), and the file's interpretation: notes as Info diagnostics.
// Compile is Parse (the YAML, which needs no rules) and Source.Compile: a
// loader parses workflow.yaml while it compiles grading.yaml, and a tool
// compiles one Source against several revisions of the rules.
//
// # Instances
//
// An Instance is a value derived from its log. Its log, tasks and flags
// are read through methods (Log, Tasks, Task, OpenTasks, Flags, HasFlag)
// because instances derived one from another share them: Apply on the
// newest instance appends in place, so that applying n events costs O(n)
// however long the log grows; Apply on any other instance (an older one,
// a branch, the same one twice) first copies what it extends. No Apply
// ever changes an instance returned before. MaxLog (DefaultMaxLog, 10 000)
// caps the events of one instance: the event beyond it is ErrLogFull.
// Instances round-trip through JSON; compare them by their JSON.
//
// # Events
//
// An Event is an envelope — id, type, actor, occurredAt, recordedAt — and
// data following its type's schema. Times are RFC 3339 with an explicit
// UTC offset; duty rooms mix Xinjiang time (+06:00) and Beijing time
// (+08:00), and a Time keeps the offset it was written in while comparing
// instants. recordedAt may not precede occurredAt.
//
// Apply checks, in this order, and returns the first failure with the
// instance unchanged:
//
//  1. the instance was started under the definition's plan (ErrPlanMismatch);
//  2. the type is declared (ErrUnknownEvent, with a suggestion and the
//     list of declared types);
//  3. an id already in the log: the same event again is a no-op reported
//     as Effects.Duplicate, so re-delivery is safe; other content under a
//     used id is ErrDuplicateID, whose *DuplicateIDError names every field
//     that differs. The content is the type, the occurredAt instant (the
//     offset it is written in may differ), the actor and the data, each
//     brought to its logged form first (aliases resolved, numbers and
//     times normalised; a task named by its definition matches the
//     instance it resolved to). recordedAt is not compared: a transport
//     that re-delivers may stamp an event again;
//  4. the envelope and the data (ErrInvalidEvent; *InvalidEventError names
//     every bad field: "actor", "data.level" …);
//  5. the log has room (ErrLogFull, see MaxLog);
//  6. the event is allowed in the current phase (ErrWrongPhase);
//  7. the ordering rule (below; ErrOutOfOrder);
//  8. the guards, in file order (ErrGuardRejected; *GuardError carries the
//     guard's id, clause and message).
//
// Every time, of the envelope and of a time data field, must fall in the
// years MinYear–MaxYear (1900–2200); anything else is a typing or clock
// error and is refused naming the field, never wrapped around.
//
// Ordering rule. Events are applied in the order they are delivered and
// never reordered. An event whose occurredAt is before the latest
// occurredAt already accepted (Instance.Last) is a late arrival: it is
// rejected with ErrOutOfOrder unless its type is declared late: accept
// (written reports, follow-ups, task completions entered after the fact),
// in which case it is accepted in delivery order, marked Late in the log,
// and its own occurredAt is used for its deadlines; Instance.Last does not
// move back. The same rule holds on replay, so a replayed log gives the
// same instance.
//
// Then the windows whose period ended before the event's time end; then
// the effects are applied: facts and grading, variables, the response
// level, a request for a higher level, site command, explicit completion
// (refused, event.task-has-event, for a task its own event completes:
// that event carries what the task asks for) or waiver; then the
// transition; then the tasks the event opens (and, if the phase or the
// response level changed, the tasks of the phase at that level); then
// doneBy completions; then the windows that cover the event; then, if the
// response level changed
// and the workflow declares lapse:, the open tasks of the old level only
// are waived (a task lapses when all its triggers are phase triggers with
// levels: and none lists the new level); then, on entering a phase with
// waiveOpen:, every task still open from before is waived with that
// reason (a deadline already passed is marked missed); then flags. A
// phase marked command: needs a holder of site command after the event,
// or the event is rejected (guard "command-holder"). If any rule cannot be
// evaluated the event is rejected, naming the rule, rather than passing
// silently.
//
// What the engine writes for people is Chinese and names things as the
// plan does: the note of a late: flag the data gives no note: ("15 分钟内
// 补报文字报告：开启后 22 分钟完成，时限 15 分钟，超时 7 分钟"; for a window, when
// its period ended and when the event occurred), and the reason of a task
// it closes itself: lapse: and waiveOpen: give theirs, a window ends with
// "期间至 2025-11-14 24:00 届满". Beside each is its machine form: a flag's
// Task, TaskName, Due and OverdueSeconds; a task's ReasonCode
// (ReasonLapsed, ReasonPhaseClosed, ReasonPeriodEnded) and ReasonParams;
// an Effects warning's code and params (CodeRosterFailed). A note the data
// writes names checklist items by their labels through
// event.missingLabels.<field>.
//
// An incident field is checked by the grading rules. When the ActorResolver
// also implements IncidentChecker, the ids of list inputs that refer to
// other data of the plan (grading.yaml's ref:, the orgchart's industries
// and localities) are checked and their aliases resolved too; an unknown
// id is ErrInvalidEvent naming the field.
//
// # workflow.yaml
//
//	id: changji-2025-response
//	title: …
//	clause: "3–5"
//	diagram: {clause: 附件 8.4, title: …, caption: 据 workflow 数据重绘，非原图, note: …}
//	lapse:                           # optional: waive the old level's tasks on a change of response level
//	  reason: 响应级别由{from}调整为{to}，本任务只属于{levels}，不再适用   # {from} {to} {levels}: response level names;
//	  clause: "4.2"                  # without placeholders the change is added after the reason
//	clock: "+08:00"                  # optional: the UTC offset calendar days are counted on (days: below)
//	constants:                       # named values expressions read as const.<id>
//	  - {id: chain, label: …, clause: 第十条第一款, value: {county-safety: 1, municipal-safety: 2}}
//	relations:                       # actors relative to others, for notify: {relation: …}
//	  - {id: government, name: 本级人民政府, clause: 第十条第二款, pairs: {county-safety: county-gov}}
//	phases:                          # exactly one initial, at least one final
//	  - id: responding
//	    name: 应急响应
//	    clause: "4.2"
//	    text: …                      # the sentence of the plan
//	    initial: false
//	    final: false
//	    command: true                # a site-command holder is required here
//	    waiveOpen: …                 # on entering: waive every task still open, with this reason
//	    interpretation: …            # the reading taken where the text is unclear
//	vars:                            # instance variables set by effects
//	  - {id: expertReview, type: string, clause: "4.15"}   # number | string | bool | time
//	events:
//	  - id: response.activated
//	    name: 启动应急响应
//	    clause: "4.2; 4.3"
//	    text: …
//	    phases: [initial-response, responding]   # where allowed; default: every non-final phase
//	    late: accept                 # accept late arrivals (default reject)
//	    data:                        # the schema of the event's data
//	      - name: level
//	        type: level              # text bool number count time enum list actor
//	                                 # level task incident checklist
//	        required: true
//	        label: 响应级别
//	        values: [{id: …, label: …, clause: …}]   # enum
//	        items:  [{id: …, label: …, clause: …}]   # checklist: missing items are named
//	    guards:                      # all must hold; the first that fails rejects
//	      - id: authority-III
//	        clause: "4.2"
//	        text: …
//	        message: Ⅲ级应急响应由昌吉州人民政府或者自治区有关部门决定启动
//	        when: response(event.data.level) != "III" || event.actor in ["gov", "xj-yjt"]
//	    effects:
//	      grade: incident            # merge this incident field into the facts and re-grade
//	      grade: {field: incident, when: 'inWindow("supplement-period")'}   # … only when this holds
//	      facts: {exceedsCapacityOf: event.data.of}   # set grading inputs, then re-grade
//	      set: {expertReview: event.data.conclusion}  # variables
//	      set: {accidentAt: {value: event.occurredAt, when: 'instance.vars.accidentAt == ""'}}
//	      response: event.data.level # activate a response level
//	      request: {to: levelAbove(instance.response), when: …}  # ask for a higher level
//	      command: {holder: '"site-hq"', formedBy: '"local-government"', when: …}
//	      complete: event.data.task  # close a task as done (not one done by its own event)
//	      waive: event.data.task     # close it as waived; the event needs a reason field
//	      flags: [{id: incomplete-report, name: …, clause: "3.2", when: …, note: …}]
//	transitions:                     # the first whose from holds (and when, if given) fires
//	  - {event: rescue.suspended, from: [responding], to: suspended, clause: "4.15", label: 暂停救援}
//	tasks:
//	  - id: written-report
//	    name: 15 分钟内补报文字报告
//	    clause: "3.2"
//	    assignee: local-emergency-bureau   # an actor of the ActorResolver, or a list of them
//	    notify: [yjj, {relation: above}]   # reports this task calls for; a relation is the assignee's
//	    conditional: 必要时                 # the text's condition, for tasks that apply only if it holds
//	    on:                                # triggers
//	      - {phase: responding, levels: [III]}   # on entering the phase (or a change of response level in it)
//	      - {event: [report.received], when: …}  # on an event
//	    within: 15m                        # the deadline (a period, below)
//	    doneBy: [{event: report.written, when: …}]
//	    late: {flag: late-report, name: 迟报, clause: "3.2", note: …}   # raised when done after the deadline
//	    recurring: true                    # opens again (id#2, id#3 …) when none is open
//	  - id: supplement-period              # a window: see below
//	    assignee: accident-unit
//	    on: [{phase: reporting}]
//	    window:
//	      - {days: 7, from: instance.vars.accidentAt, when: 'instance.vars.accidentType in ["road-traffic", "fire"]'}
//	      - {days: 30, from: instance.vars.accidentAt}
//	    covers: [{event: report.supplemented, when: …}]
//	    late: {flag: late-supplement, name: 迟报, clause: 第十三条第二款, note: …}
//
// Periods (within:, window:). A period is a Go duration ("15m", "2h"), or
// a mapping, or a list of mappings of which the first whose when: holds
// counts (a rule without when: always holds and must come last):
//
//	duration: 2h       # a duration, or
//	days: 30           # calendar days as the law counts them (民法典 第二百零一条、第二百零三条):
//	                   # the day of from: is not counted and the period ends at 24:00
//	                   # of its last day, on the clock below
//	clock: "+08:00"    # the UTC offset the days are counted on; default the workflow's
//	                   # clock:, and a period in days without one is an error (the
//	                   # engine never guesses a zone; zone names are not read)
//	from: instance.vars.accidentAt   # the time counted from (RFC 3339 text or a time
//	                   # variable); default the opening event's occurredAt
//	when: …            # the condition that chooses this rule (the facts, the assignee)
//
// The period is counted when the task opens, with task bound to it; the
// due time is written in the clock's offset. A public holiday at the end
// of a period in days does not extend it: holidays are no data of a plan.
//
// Windows (window:). A window task owes nothing by itself: it is the
// period in which the events it covers (covers:, with when: as doneBy's)
// count. A covered event inside the period is recorded as met; one after
// it as missed, raising late: (with the note the data writes, or the
// engine's). The first event after its end closes the window as ended
// (TaskEnded, at the end, listed in Effects.Ended); a window is never done
// by an event, nor overdue: Due lists it, after the overdue deadlines,
// with Window set, while it is open at the caller's now. inWindow("id")
// tells an expression whether the event falls in the window's period
// (late events by their own occurredAt).
//
// Several assignees (assignee: [a, b]). One task instance is opened per
// assignee whose trigger holds (task.assignee is bound in the triggers),
// with the id "task@actor" ("report-up@county-safety", then #2 …); each
// has its own deadline and state. instance.tasks["task"] names the latest
// opening of any assignee, "task@actor" that assignee's. A task field
// naming the definition resolves to the open instance assigned to the
// event's actor, or to the only open one; otherwise it must name one.
//
// Relations (relations:, notify: [{relation: id}]). A relation maps
// actors to actors (above: the next level up; government: 本级人民政府); a
// notify entry {relation: id} is the actor the relation gives for the
// task's assignee. Every assignee of such a task must have a pair.
//
// Constants (constants:). const.<id> is replaced by the value at compile
// time (text, numbers, true/false, lists and mappings of them); a
// constant compared with an actor, level or enum (event.actor in
// const.departments, event.actor in const.chain) has its strings
// checked as such, reported at the constant.
//
// Time variables (vars: type: time) hold RFC 3339 text in the offset they
// were given in, "" until set; a value that is no time is an evaluation
// error.
//
// Conditional effects: grade: {field:, when:} and the entries of facts:
// and set: written {value:, when:} apply only when their condition holds
// (request: and command: have when: too); flags have their own when:.
//
// Levels are named by any spelling grading.yaml declares (the level's id
// or name, III, Ⅲ, 3, 三级, Ⅲ级应急响应, 较大事故), through grading's
// ParseLevel. Actors are resolved through the ActorResolver, which also
// resolves aliases in events; every id of the YAML is checked at compile
// time, and so are the string literals an expression compares with
// event.actor, a data field of type actor, level or enum, instance.phase,
// instance.response and the like, and the names under event.data,
// event.missing, event.missingLabels, instance.vars, instance.facts,
// instance.tasks and const.
// A mistake is a diagnostic with file:line:column inside the expression
// and a "Did you mean" suggestion — except for levels, where a near miss
// is another rank: an unknown level lists the levels, most severe first.
// Every code is a constant of codes.go (workflow.* for the file, event.*,
// guard.*, phase.* and instance.* for the errors of Apply, Replay and
// Rebase, which implement diag.ProblemReporter).
//
// # Expressions
//
// Guards, conditions and effect values are github.com/expr-lang/expr
// programs, compiled once and type-checked against this environment:
//
//	instance, prev   the state after the effects so far / before the event:
//	                 phase, level, response, requested, command.holder,
//	                 command.formedBy, facts.<input>, vars.<var>,
//	                 tasks[<task, task@actor or task instance id>]
//	                 ("open" "done" "waived" "ended"), assignees[<id>],
//	                 conditional[<id>], flags (ids); a task definition id
//	                 names its latest opening
//	event            id, type, actor, occurredAt, data.<field> (absent optional
//	                 fields read as their zero value), missing.<checklist field>
//	                 (the ids of the items it lacks), missingLabels.<checklist
//	                 field> (their labels, for notes)
//	task             in triggers, doneBy, covers, periods and late notes:
//	                 id, def, assignee, due, start, days, lastDay
//	plan             id, revision, hash
//	const.<id>       a named constant
//	rank(level)      severity rank, 0 the most severe; "" or unknown ranks below all
//	response(level)  the response id of a level ("III")
//	levelAbove(l)    the next more severe level id, or ""
//	acts(actor, r)   actor is r, or stands in for role r (RoleResolver)
//	inWindow(task)   the event falls in the window's period
//
// The expression policy (pure.go; the builtins refused are listed once,
// for grading and workflow alike): an expression reads only the data and
// pure functions. now(), date() and timezone() (the clock, the local zone,
// the zone database on disk), keys(), values() and toPairs() (Go's map
// order; write "x in m" for a key), any method call on a value (a time's
// .Local(), .Format()) and the engine's $-names are refused when the file
// compiles, with a diagnostic at the call (CodeImpure). Every evaluation
// is capped: MaxNodes caps an expression's size, and MemoryBudget
// (DefaultMemoryBudget units, one per value built; strings and lists built
// by functions and + count one unit per 64 bytes, charged before they are
// built) what one evaluation may build — nested repeat, a string doubled
// by let, copies in a loop, join, replace and ranges alike. An evaluation
// that fails or overruns, or a condition that gives no value (nil), rejects
// the event with guard.error (*GuardError with Detail) and leaves the
// instance unchanged; it never passes as "does not hold".
//
// The task views are not maps built for every event: instance.tasks[K]
// and its like are compiled into lookups, so a rule costs the same however
// many tasks an instance has opened.
//
// # Drills and diagrams
//
// Drills are package github.com/yingji/yingji/workflow/drill: a scenario
// replayed on a simulated clock, with a timeline and the written summary,
// in which nothing is a particular plan's (the summary cites the drill's
// clause; the response and site-command columns appear when the drill
// used them). Mermaid and DOT draw the workflow, titled and captioned by
// diagram: (Changji's caption says that its figure of 附件 8.4 is lost and
// this one redrawn).
//
// # Concurrency
//
// A compiled Definition is immutable and safe for concurrent use by any
// number of goroutines: Apply, Replay, Rebase and the diagrams only read
// it. ForPlan and WithRoster return copies. An Instance is a value; Apply
// never modifies the instance it is given, so instances may be shared
// between goroutines, and Apply may even be called on one instance from
// several goroutines at once (each gets its own result; all but one copy
// the history first). The caller owns where instances are stored; to keep
// Apply cheap, apply each event to the instance the previous Apply
// returned. An ActorResolver or RosterSource given to the definition must
// be safe for concurrent reads and deterministic. There is no global
// mutable state: the limits are options of Compile, held by the
// Definition.
package workflow
