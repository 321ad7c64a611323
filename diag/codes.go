package diag

// Codes shared by every package: the strict YAML decoder's findings, the
// plan folder's files, and interpretation notes. Each package declares its
// own codes in its codes.go; CODES.md lists them all.
const (
	// CodeInternal: an error that reports no problems of its own (a context
	// cancellation, an I/O error of the host), as ProblemsOf gives it.
	CodeInternal = "internal"

	// CodeYAMLSyntax: the file is not valid YAML.
	CodeYAMLSyntax = "yaml.syntax"
	// CodeYAMLEmpty: the file has no content.
	CodeYAMLEmpty = "yaml.empty-file"
	// CodeYAMLUnknownKey: a key the schema does not have (a typo, or a key at the wrong level).
	CodeYAMLUnknownKey = "yaml.unknown-key"
	// CodeYAMLDuplicateKey: a key written twice in one mapping.
	CodeYAMLDuplicateKey = "yaml.duplicate-key"
	// CodeYAMLMissingKey: a required key is absent.
	CodeYAMLMissingKey = "yaml.missing-key"
	// CodeYAMLWrongKind: a list where a mapping belongs, or the other way round.
	CodeYAMLWrongKind = "yaml.wrong-kind"
	// CodeYAMLWrongType: a value of the wrong type (text where a number belongs …).
	CodeYAMLWrongType = "yaml.wrong-type"
	// CodeYAMLTooComplex: aliases or nesting beyond the decoder's limits (an alias bomb).
	CodeYAMLTooComplex = "yaml.too-complex"

	// CodeFileMissing: a file the plan names does not exist.
	CodeFileMissing = "file.missing"
	// CodeFileRead: a file the plan names cannot be read.
	CodeFileRead = "file.read"
	// CodeFileRefused: a file name or file the loader will not read (outside the folder, not a regular file).
	CodeFileRefused = "file.refused"
	// CodeFileTooLarge: a file, or the plan as a whole, is over the size limit.
	CodeFileTooLarge = "file.too-large"

	// CodePlanID: the plan's id is not a valid id.
	CodePlanID = "plan.bad-id"
	// CodePlanBoundaries: plan.yaml's boundaries are not inclusive or exclusive.
	CodePlanBoundaries = "plan.boundaries"
	// CodePlanMissingFile: plan.yaml names no file that a part of the plan needs.
	CodePlanMissingFile = "plan.missing-file"
	// CodePlanDuplicateClause: a clause is listed twice in plan.yaml's index.
	CodePlanDuplicateClause = "plan.duplicate-clause"
	// CodePlanRef: a list input refers to a collection the plan does not have.
	CodePlanRef = "plan.ref"
	// CodePlanUnknownLevel: a file refers to a response level grading.yaml does not declare.
	CodePlanUnknownLevel = "plan.unknown-level"
	// CodeInterpretation: a reading of an ambiguous or inconsistent text, recorded in an interpretation: note.
	CodeInterpretation = "plan.interpretation"
)
