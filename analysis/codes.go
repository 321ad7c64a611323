package analysis

// Codes of the lint's findings, the diag.Diagnostic Code of each.
const (
	CodeGap                = "gap"
	CodeOverlap            = "overlap"
	CodeShadowed           = "shadowed"
	CodeUnsatisfiable      = "unsatisfiable"
	CodeUnreachableLevel   = "unreachable-level"
	CodeNonMonotone        = "non-monotone"
	CodeScopeDisagreement  = "scope-disagreement"
	CodeUnusedInput        = "unused-input"
	CodeThresholdOrder     = "threshold-order"
	CodeUntracedClause     = "untraced-clause"
	CodeAnalysisIncomplete = "analysis-incomplete"
)
