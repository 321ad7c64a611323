// Package yingji turns a written production-safety emergency plan
// (生产安全事故应急预案) into executable data: the severity grading rules, and
// (in time) the command structure and the response workflow.
//
// A plan is a folder: plan.yaml names the plan, declares its boundary
// convention ("以上含本数，以下不含本数") and lists its data files
// (grading.yaml, …). Load reads a folder from any fs.FS, all or nothing:
// every file decoded strictly, every expression compiled and type-checked,
// and every problem reported as a positioned diagnostic (see package diag).
// Embedded returns the plans that ship with yingji: changji-2025 (the
// default) and national-493.
//
// An Engine serves one plan and swaps in a new one atomically when it loads
// cleanly, so a host can reload edited rules while it serves.
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
// # Concurrency
//
// A Plan is immutable once loaded and safe for concurrent use; so is an
// Engine, whose Reload may run while other goroutines classify.
package yingji
