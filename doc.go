// Package yingji turns a written production-safety emergency plan
// (生产安全事故应急预案) into executable data: the severity grading rules, the
// command structure with its rosters and contacts, and the response
// workflow.
//
// A plan is a folder: plan.yaml names the plan, declares its boundary
// convention ("以上含本数，以下不含本数") and lists its data files
// (grading.yaml, orgchart.yaml, contacts.yaml, workflow.yaml). Load reads a
// folder from any fs.FS, LoadDir from disk (only from inside the folder),
// all or nothing: every file decoded strictly, every expression compiled and
// type-checked, and every problem reported as a positioned diagnostic (see
// package diag). Embedded returns the plans that ship with yingji:
// changji-2025 (the default) and national-493 (Decree 493).
//
// The Plan is the front door: Classify, ClassifyJSON and NewIncident grade
// strictly (lists checked against the orgchart); Assess grades and builds
// the roster of the response the grade starts; Roster builds one for a
// response level as people write it (Ⅲ, III, 3, 三级, Ⅲ级应急响应, 较大);
// Start and Apply run the workflow. The packages under it (grading,
// orgchart, workflow) are the layers a host may also use alone.
//
// An Engine serves one plan and swaps in a new one atomically when it loads
// cleanly, so a host can reload edited rules while it serves. It reports
// what it serves (Status) and keeps every plan it served by hash, so an
// incident goes on under the revision it started under until it is
// migrated (Migrate says first what would change). Options (MaxNodes,
// MemoryBudget, MaxCriteria, MaxLog, MaxFileSize, MaxPlanSize) set the
// limits; WithDecisionSink records every decision (OPA's decision-log
// shape), stamped by WithClock's clock and WithPrincipal's caller.
//
// Every error carries a stable machine code: diag.ProblemsOf(err) gives
// code, field or path and parameters (CODES.md lists every code).
//
// # For drafters
//
// Before an edited copy of a plan goes live: (*Plan).LintReport lints it
// for a person (errors first, what follows from a finding folded under
// it); Diff lists what the edit changes (grading ranges, rosters,
// contacts, workflow); (*Plan).ReplayRecordings replays stored incidents
// and drills under it and lists every divergence; and (*Plan).RunCases
// runs the drafters' own case files (ReadCaseFile) with coverage.
//
// # Glossary
//
// The plan's terms and the Go names that stand for them:
//
//	应急预案 (the plan)              Plan, Manifest (plan.yaml)
//	事故等级, 分级 (grade)           grading.Level; to grade is Classify (the CLI and HTTP say "grade")
//	特别重大/重大/较大/一般          grading levels especially-serious/serious/relatively-serious/general
//	应急响应 Ⅰ–Ⅳ级 (response level) grading.Response
//	研判 (assessment), 初报 facts    grading.Incident; unknown facts stay unknown, never 0
//	以上/以下 (boundary convention)  grading.Convention, Boundaries
//	适用范围 (scope, 1.3)            grading.Scope, Result.InScope
//	启动权限 (who activates, 4.2)    grading.Authority
//	指挥部/办公室/工作组 (command)    orgchart.Unit, orgchart.Group, orgchart.Chart
//	成员单位职责 (duties, 2.3)       orgchart.Duty
//	响应名单 (roster)                orgchart.Roster, built by RosterRule and RosterStep
//	通讯录 (附件 8.5, 8.6)           orgchart.Contacts, orgchart.Listing
//	应急响应流程 (附件 8.4)           workflow.Definition; one incident is a workflow.Instance
//	事件, 信息报告 (event, report)   workflow.Event, workflow.Notice
//	任务, 时限, 迟报 (task, deadline, late report)  workflow.Task, workflow.Deadline, workflow.Flag
//	演练 (drill, 7.2)                drill.Drill, drill.Run
//	解释 (interpretation: note)      diag.CodeInterpretation diagnostics
//	决策记录 (decision record)        Decision, DecisionSink
//
// # Concurrency
//
// A Plan is immutable once loaded and safe for concurrent use; so is an
// Engine, whose Reload may run while other goroutines classify, build
// rosters and apply events. Workflow instances are values: Apply returns a
// new one and never changes the one it is given.
package yingji
