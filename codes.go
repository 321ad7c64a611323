package yingji

// Codes of the errors and diagnostics the root package reports. The codes
// shared with the loader's decoder (yaml.*, file.*, plan.*) are declared in
// package diag.
const (
	// CodeOption: an option was given a value it cannot take.
	CodeOption = "plan.option"
	// CodeNoGrading: the plan has no grading rules.
	CodeNoGrading = "plan.no-grading"
	// CodeNoOrgchart: the plan has no orgchart, so it has no rosters.
	CodeNoOrgchart = "plan.no-orgchart"
	// CodeNoWorkflow: the plan has no workflow.
	CodeNoWorkflow = "plan.no-workflow"
	// CodeUnknownPlan: an instance refers to a plan the engine has not served.
	CodeUnknownPlan = "plan.unknown-hash"
	// CodeDecisionNotRecorded: the decision sink failed, so the decision is withheld.
	CodeDecisionNotRecorded = "decision.not-recorded"
	// CodeNotChecked: references from one file into another that does not compile were not checked (an info, not an error).
	CodeNotChecked = "plan.not-checked"
)
