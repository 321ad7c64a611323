package grading

// The stable machine codes of the diagnostics and errors this package
// reports. A front end branches on and translates by these, never by the
// message. Each is declared once, here.
const (
	// CodeOption: an option of Compile was given a value it cannot take.
	CodeOption = "grading.option"
	// CodeSpellingConflict: one spelling (an alias, a label, an id with a
	// suffix) would name two response levels, grades or enum values.
	CodeSpellingConflict = "grading.spelling-conflict"
	// CodeSpellingEmpty: an alias or suffix of spellings: is empty.
	CodeSpellingEmpty = "grading.spelling-empty"

	// CodeResponseUnknown: a response level as written names none of the
	// plan's; the message lists them, most severe first.
	CodeResponseUnknown = "response.unknown"
	// CodeLevelUnknown: a grade as written names none of the plan's; the
	// message lists them, most severe first.
	CodeLevelUnknown = "level.unknown"
	// CodeInputNotObject: an incident is not a JSON object.
	CodeInputNotObject = "input.not-object"
	// CodeInputTrailingData: data follows an incident's JSON object.
	CodeInputTrailingData = "input.trailing-data"
	// CodeInputUnknownField: a field names no input of the plan.
	CodeInputUnknownField = "input.unknown-field"
	// CodeInputBadJSON: a field's value is not valid JSON.
	CodeInputBadJSON = "input.bad-json"
	// CodeInputWrongType: a value of the wrong kind (a string for a count,
	// a number for a bool, not a list for a list input).
	CodeInputWrongType = "input.wrong-type"
	// CodeInputBadAmount: an amount written as text that is not one
	// ("五千万"; write "5000万").
	CodeInputBadAmount = "input.bad-amount"
	// CodeInputNotFinite: NaN or an infinity.
	CodeInputNotFinite = "input.not-finite"
	// CodeInputNegative: a negative count or amount.
	CodeInputNegative = "input.negative"
	// CodeInputNotWhole: a count of people that is not a whole number.
	CodeInputNotWhole = "input.not-whole"
	// CodeInputTooLarge: a count or amount over 10^15.
	CodeInputTooLarge = "input.too-large"
	// CodeInputNoRules: an Incident not made by Rules.NewIncident.
	CodeInputNoRules = "input.no-rules"
	// CodeInputNotInPlan: an incident built for another plan has an input
	// or enum value this plan lacks.
	CodeInputNotInPlan = "input.not-in-plan"
	// CodeInputUnknownRef: a list input names an id the plan's other data
	// (the orgchart's industries or localities) does not have.
	CodeInputUnknownRef = "input.unknown-ref"
	// CodeInputEnumUnknown: an enum input was given a value that is none
	// of its ids, labels or aliases; the message lists them, least severe
	// first.
	CodeInputEnumUnknown = "input.enum-unknown"
)
