package drill

// Stable machine codes of the findings about a drill scenario and of the
// errors of Run.
const (
	// CodeBadTime: a start, step time, occurredAt or end that is neither an
	// offset such as "+15m" nor an RFC 3339 time with its UTC offset.
	CodeBadTime = "drill.bad-time"
	// CodeTimeRange: a time outside the years workflow.MinYear–MaxYear.
	CodeTimeRange = "drill.time-range"
	// CodeClockBack: a step goes back on the simulated clock.
	CodeClockBack = "drill.clock-back"
	// CodeBadData: a step's data is not a mapping of text, numbers,
	// true/false, lists of text and mappings.
	CodeBadData = "drill.bad-data"
	// CodePlanMismatch: the scenario is written for another plan than the
	// definition's.
	CodePlanMismatch = "drill.plan-mismatch"
)
