package workflow

// Stable machine codes. Diagnostics about workflow.yaml use workflow.*;
// the errors Apply, Replay and Rebase return use event.*, guard.*,
// phase.* and instance.*. A front end branches on and translates by these
// codes, never by the wording of a message.

// Findings about workflow.yaml.
const (
	// CodeOption: an Option given to Compile has a value it cannot take.
	CodeOption = "workflow.option"
	// CodeNoGrading: Compile was given no grading rules.
	CodeNoGrading = "workflow.no-grading"
	// CodeDuplicateID: two phases, events, fields, values, guards or tasks share an id.
	CodeDuplicateID = "workflow.duplicate-id"
	// CodeBadID: an id uses a character reserved by the engine (# in a task id).
	CodeBadID = "workflow.bad-id"
	// CodeInitialPhase: not exactly one phase is initial, or the initial phase is also final.
	CodeInitialPhase = "workflow.initial-phase"
	// CodeFinalPhase: no phase is final, or an event or transition leaves a final phase.
	CodeFinalPhase = "workflow.final-phase"
	// CodeUnreachablePhase: no transition leads to a phase from the initial one (a warning).
	CodeUnreachablePhase = "workflow.unreachable-phase"
	// CodeUnknownPhase: a phase id that no phase declares.
	CodeUnknownPhase = "workflow.unknown-phase"
	// CodeUnknownEvent: an event id that no event declares.
	CodeUnknownEvent = "workflow.unknown-event"
	// CodeUnknownTask: a task id that no task declares.
	CodeUnknownTask = "workflow.unknown-task"
	// CodeUnknownActor: an actor the actor resolver (the orgchart) does not know.
	CodeUnknownActor = "workflow.unknown-actor"
	// CodeUnknownLevel: a level that is no level id, name or response id of grading.yaml.
	CodeUnknownLevel = "workflow.unknown-level"
	// CodeUnknownVar: a variable that vars: does not declare.
	CodeUnknownVar = "workflow.unknown-var"
	// CodeUnknownInput: a grading input that grading.yaml does not declare.
	CodeUnknownInput = "workflow.unknown-input"
	// CodeUnknownField: an event data field no event in scope declares.
	CodeUnknownField = "workflow.unknown-field"
	// CodeUnknownValue: a string compared with an enum that is none of its values.
	CodeUnknownValue = "workflow.unknown-value"
	// CodeUnknownType: a variable or field type the engine does not know.
	CodeUnknownType = "workflow.unknown-type"
	// CodeBadValue: a setting with a value it cannot take (late: other than accept or reject).
	CodeBadValue = "workflow.bad-value"
	// CodeBadDuration: a period (within:, window:, clock:) that is not a positive duration or number of days on a stated UTC offset.
	CodeBadDuration = "workflow.bad-duration"
	// CodeFieldForm: values: or items: on a field whose type takes neither, or missing where needed.
	CodeFieldForm = "workflow.field-form"
	// CodeGradeField: effects.grade names no incident field of the event.
	CodeGradeField = "workflow.grade-field"
	// CodeWaiveReason: an event that waives a task has no reason field.
	CodeWaiveReason = "workflow.waive-reason"
	// CodeNeverFires: a transition leaves a phase its event is not allowed in.
	CodeNeverFires = "workflow.never-fires"
	// CodeAmbiguousTransition: two unconditional transitions leave one phase on one event.
	CodeAmbiguousTransition = "workflow.ambiguous-transition"
	// CodeLateWithoutDeadline: a task flags lateness but has no within:.
	CodeLateWithoutDeadline = "workflow.late-without-deadline"
	// CodeTriggerForm: a trigger names both or neither of a phase and events, or levels: on an event trigger.
	CodeTriggerForm = "workflow.trigger-form"
	// CodeImpure: an expression calls what may read the clock, the time zone or files (now, date, timezone, a method), or a name the engine reserves.
	CodeImpure = "workflow.impure"
	// CodeUnknownConstant: const.<id> names no constant of constants:.
	CodeUnknownConstant = "workflow.unknown-constant"
	// CodeBadConstant: a constant's value is empty or not text, a number, true/false, a list or a mapping.
	CodeBadConstant = "workflow.bad-constant"
	// CodeUnknownRelation: a relation that relations: does not declare, or that names no actor for a task's assignee.
	CodeUnknownRelation = "workflow.unknown-relation"
	// CodeWindowForm: a task with both within: and window:, a window done by events, or covers: without a window.
	CodeWindowForm = "workflow.window-form"
	// CodeExpr: an expression does not parse or type-check.
	CodeExpr = "workflow.expr"
	// CodeUnbound: an expression names task outside a doneBy condition.
	CodeUnbound = "workflow.unbound"
)

// Errors of Apply, Replay and Rebase (the Code of their Problems).
const (
	// CodeGuardRejected: a guard of the event does not hold.
	CodeGuardRejected = "guard.rejected"
	// CodeGuardError: a rule could not be evaluated, so the event is rejected rather than passed.
	CodeGuardError = "guard.error"
	// CodeEventUnknown: the event type is not declared.
	CodeEventUnknown = "event.unknown"
	// CodeEventInvalid: the envelope or the data do not match the event's schema.
	CodeEventInvalid = "event.invalid"
	// CodeEventRequired: a required envelope or data field is missing.
	CodeEventRequired = "event.required"
	// CodeEventUnknownField: the data carry a field the event type does not declare.
	CodeEventUnknownField = "event.unknown-field"
	// CodeEventUnknownActor: the actor, or an actor field, is no actor of the plan.
	CodeEventUnknownActor = "event.unknown-actor"
	// CodeEventUnknownLevel: a level field is no level of the plan; the valid ones are listed in order.
	CodeEventUnknownLevel = "event.unknown-level"
	// CodeEventUnknownValue: an enum or checklist value, or an incident list id, that is not declared.
	CodeEventUnknownValue = "event.unknown-value"
	// CodeEventBadTime: a time without an explicit UTC offset, or recordedAt before occurredAt.
	CodeEventBadTime = "event.bad-time"
	// CodeEventTimeRange: a time outside the years MinYear–MaxYear.
	CodeEventTimeRange = "event.time-range"
	// CodeEventTask: a task field names a task that is unknown, not opened or already closed.
	CodeEventTask = "event.task"
	// CodeEventTaskHasEvent: a generic completion names a task that its own event (doneBy:) completes; the error names that event.
	CodeEventTaskHasEvent = "event.task-has-event"
	// CodeEventOutOfOrder: the event occurred before the last accepted one and may not arrive late.
	CodeEventOutOfOrder = "event.out-of-order"
	// CodeEventDuplicateID: an event id already in the log arrived with other content.
	CodeEventDuplicateID = "event.duplicate-id"
	// CodePhaseWrong: the event is not allowed in the instance's phase.
	CodePhaseWrong = "phase.wrong"
	// CodePlanMismatch: the instance was started under other rules than the definition's.
	CodePlanMismatch = "instance.plan-mismatch"
	// CodeLogFull: the instance holds as many events as MaxLog allows.
	CodeLogFull = "instance.log-full"
	// CodeReplayRejected: an event of a replayed log was rejected.
	CodeReplayRejected = "instance.replay-rejected"
	// CodeReloadChanges: replaying a live instance under reloaded rules would change it.
	CodeReloadChanges = "instance.reload-changes"
)

// Warnings of Apply: problems that did not stop an event (Effects.Warnings).
const (
	// CodeRosterFailed: the roster of a newly activated response level could not be built, so its parties are not among the notices.
	CodeRosterFailed = "event.roster-failed"
)
