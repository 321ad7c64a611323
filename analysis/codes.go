package analysis

// The codes of the lint's findings, each the Code of a diag.Diagnostic.
const (
	// CodeGap: a range of an input, past its least value, that no level's criterion names.
	CodeGap = "lint.gap"
	// CodeOverlap: a range of a count or amount that two levels' criteria name.
	CodeOverlap = "lint.overlap"
	// CodeShadowed: an alternative of a criterion that can never decide a grade: a more severe level always holds where it does.
	CodeShadowed = "lint.shadowed"
	// CodeUnsatisfiable: an alternative of a criterion that holds for no value of the inputs it reads.
	CodeUnsatisfiable = "lint.unsatisfiable"
	// CodeUnreachable: a level no incident can be graded (an error).
	CodeUnreachable = "lint.unreachable"
	// CodeNonMonotone: more of an input gives a lower grade (an error).
	CodeNonMonotone = "lint.non-monotone"
	// CodeThresholdOrder: a more severe level names an input from a lower value than a less severe one.
	CodeThresholdOrder = "lint.threshold-order"
	// CodeScope: the scope's own thresholds disagree with the grades its grades: criterion puts in scope.
	CodeScope = "lint.scope"
	// CodeUnusedInput: an input that no criterion reads and that is not declared context.
	CodeUnusedInput = "lint.unused-input"
	// CodeUncitedClause: a row of the plan's index of rule-bearing clauses that no item cites.
	CodeUncitedClause = "lint.uncited-clause"
	// CodeCaseFile: a drafter's test file (yingji test) that cannot be read as cases.
	CodeCaseFile = "cases.invalid"
	// CodeIncomplete: a part of the plan the lint could not check, and why.
	CodeIncomplete = "lint.incomplete"
)
