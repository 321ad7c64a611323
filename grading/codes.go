package grading

// The stable machine codes of the diagnostics and errors this package
// reports: grading.* for findings in grading.yaml, input.* for the facts
// of an incident, response.* and level.* for response levels and grades as
// people write them. A front end branches on and translates by these,
// never by the message. Each is declared once, here, with a one-line
// comment.
const (
	// CodeOption: an option of Compile was given a value it cannot take.
	CodeOption = "grading.option"
	// CodeBadID: an input or quantity id is not an identifier (letters, digits, _).
	CodeBadID = "grading.bad-id"
	// CodeDuplicateID: an input, quantity, enum value, level, response level or criterion is declared twice.
	CodeDuplicateID = "grading.duplicate-id"
	// CodeUnknownType: an input's type is not count, amount, enum, bool or list.
	CodeUnknownType = "grading.unknown-type"
	// CodeRefNotList: ref: is given on an input that is not a list.
	CodeRefNotList = "grading.ref-not-list"
	// CodeEnumValues: an enum has fewer than two values, or an input that is not an enum has values.
	CodeEnumValues = "grading.enum-values"
	// CodeTooManyInputs: a plan grades on more inputs than MaxInputs.
	CodeTooManyInputs = "grading.too-many-inputs"
	// CodeTooManyCriteria: the levels and the scope together have more criteria than the limit.
	CodeTooManyCriteria = "grading.too-many-criteria"
	// CodeExpr: an expression does not compile or type-check.
	CodeExpr = "grading.expr"
	// CodeUnknownValue: an enum threshold or an expression's literal is not a value of its enum.
	CodeUnknownValue = "grading.unknown-value"
	// CodeNoLevels: grading.yaml declares no levels.
	CodeNoLevels = "grading.no-levels"
	// CodeBaseline: more than one level is the baseline, or the baseline is not the least severe.
	CodeBaseline = "grading.baseline"
	// CodeNoCriteria: a level that is not the baseline has no criteria.
	CodeNoCriteria = "grading.no-criteria"
	// CodeCriterionForm: a criterion has both when: and grades:, neither, or grades: at a level.
	CodeCriterionForm = "grading.criterion-form"
	// CodeUnknownLevel: a scope criterion's grades: names no level of grading.yaml.
	CodeUnknownLevel = "grading.unknown-level"
	// CodeUnknownQuantity: a condition names no input or quantity.
	CodeUnknownQuantity = "grading.unknown-quantity"
	// CodeContextInput: a condition is on a list (context) input, which grading cannot use.
	CodeContextInput = "grading.context-input"
	// CodeThreshold: a threshold cannot be read ("30 人以内"; write "30 人以下").
	CodeThreshold = "grading.threshold"
	// CodeConditionKind: a condition, an any:/all:/expr: or a threshold is of the wrong YAML kind.
	CodeConditionKind = "grading.condition-kind"
	// CodeEmptyCondition: a condition has nothing in it.
	CodeEmptyCondition = "grading.empty-condition"
	// CodeSpellingConflict: one spelling (id, label, alias, with a suffix) would name two ranked items.
	CodeSpellingConflict = "grading.spelling-conflict"
	// CodeSpellingEmpty: an alias or a suffix of spellings: is empty.
	CodeSpellingEmpty = "grading.spelling-empty"

	// CodeInputNotObject: an incident is not a JSON object.
	CodeInputNotObject = "input.not-object"
	// CodeInputTrailingData: data follows an incident's JSON object.
	CodeInputTrailingData = "input.trailing-data"
	// CodeInputUnknownField: a field names no input of the plan.
	CodeInputUnknownField = "input.unknown-field"
	// CodeInputBadJSON: a field's value is not valid JSON.
	CodeInputBadJSON = "input.bad-json"
	// CodeInputWrongType: a value of the wrong kind (a string for a count, a number for a bool).
	CodeInputWrongType = "input.wrong-type"
	// CodeInputEnumUnknown: an enum value is none of the ids, labels and aliases; the message lists them in order.
	CodeInputEnumUnknown = "input.enum-unknown"
	// CodeInputBadAmount: an amount written as text cannot be read ("五千万"; write "5000万").
	CodeInputBadAmount = "input.bad-amount"
	// CodeInputNotFinite: a count or amount is NaN or infinite.
	CodeInputNotFinite = "input.not-finite"
	// CodeInputNegative: a count or amount is negative.
	CodeInputNegative = "input.negative"
	// CodeInputNotWhole: a count of people is not a whole number.
	CodeInputNotWhole = "input.not-whole"
	// CodeInputTooLarge: a count or amount is over 10^15.
	CodeInputTooLarge = "input.too-large"
	// CodeInputNoRules: the Incident was not made by Rules.NewIncident.
	CodeInputNoRules = "input.no-rules"
	// CodeInputNotInPlan: an incident built for another plan has an input or enum value this plan lacks.
	CodeInputNotInPlan = "input.not-in-plan"
	// CodeInputUnknownRef: a list input names an id the plan's orgchart does not have.
	CodeInputUnknownRef = "input.unknown-ref"

	// CodeEvalBadPoint: a point of the input space given to IncidentAt has the wrong length or a value an input cannot take.
	CodeEvalBadPoint = "eval.bad-point"

	// CodeResponseUnknown: a response level as written names none of the plan's; the message lists them in order.
	CodeResponseUnknown = "response.unknown"
	// CodeLevelUnknown: a grade as written names none of the plan's; the message lists them in order.
	CodeLevelUnknown = "level.unknown"
)
