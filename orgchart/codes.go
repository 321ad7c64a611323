package orgchart

// The codes of the diagnostics and errors this package reports: orgchart.*
// for orgchart.yaml, contacts.* for contacts files, roster.* for
// activations and the warnings of a roster. Codes are stable: tools filter
// and translate by them, and diag.Problem carries them in JSON.
const (
	// CodeOption: an option passed to Compile failed.
	CodeOption = "orgchart.option"
	// CodeDuplicateID: two items of orgchart.yaml have one id.
	CodeDuplicateID = "orgchart.duplicate-id"
	// CodeDuplicateName: a name, short name or alias names two items.
	CodeDuplicateName = "orgchart.duplicate-name"
	// CodeWrongKind: a reference names an item of a kind not allowed there.
	CodeWrongKind = "orgchart.wrong-kind"
	// CodeRefByName: a reference is written as a name or alias, not an id.
	CodeRefByName = "orgchart.ref-by-name"
	// CodeUnknownRef: a reference names no item of the file.
	CodeUnknownRef = "orgchart.unknown-ref"
	// CodeBadLabel: a label uses a variable activation cannot fill.
	CodeBadLabel = "orgchart.bad-label"
	// CodeDuplicateRole: a locality has two units of one role.
	CodeDuplicateRole = "orgchart.duplicate-role"
	// CodeBadBinding: a placeholder's bind, role and label do not fit.
	CodeBadBinding = "orgchart.bad-binding"
	// CodeUnknownRole: a placeholder binds to a role no locality unit has.
	CodeUnknownRole = "orgchart.unknown-role"
	// CodeLeadCount: a group has more or fewer than one lead.
	CodeLeadCount = "orgchart.lead-count"
	// CodeContactCycle: contactVia leads back to the unit it starts from.
	CodeContactCycle = "orgchart.contact-cycle"
	// CodeDuplicateLevel: two roster rules claim one response level.
	CodeDuplicateLevel = "orgchart.duplicate-level"
	// CodeBadAction: a roster step's action is neither notify nor engage.
	CodeBadAction = "orgchart.bad-action"
	// CodeEmptyStep: a roster step names no one.
	CodeEmptyStep = "orgchart.empty-step"
	// CodeExtendsCycle: a roster rule extends itself, directly or not.
	CodeExtendsCycle = "orgchart.extends-cycle"
	// CodeNoDuty: a member unit has no duty, group, support measure or post.
	CodeNoDuty = "orgchart.no-duty"
	// CodeNoIndustryUnit: the text names no responsible unit for an industry.
	CodeNoIndustryUnit = "orgchart.no-industry-unit"
	// CodeUnknownDiagram: Draw was asked for a diagram the chart does not declare.
	CodeUnknownDiagram = "orgchart.unknown-diagram"
	// CodeUnknownFormat: Draw was asked for a format it does not write.
	CodeUnknownFormat = "orgchart.unknown-format"

	// CodeContactsUnknownUnit: a listing names no unit of the chart.
	CodeContactsUnknownUnit = "contacts.unknown-unit"
	// CodeContactsDuplicateListing: a unit is listed twice.
	CodeContactsDuplicateListing = "contacts.duplicate-listing"
	// CodeContactsEmptyListing: a listing has neither a duty phone nor a person.
	CodeContactsEmptyListing = "contacts.empty-listing"
	// CodeContactsBadPhone: a phone number has characters a phone number does not.
	CodeContactsBadPhone = "contacts.bad-phone"
	// CodeNoContact: a unit the chart names is reached by no listing.
	CodeNoContact = "contacts.no-contact"

	// CodeRosterUnknownIndustry: an activation names an industry the chart does not know.
	CodeRosterUnknownIndustry = "roster.unknown-industry"
	// CodeRosterUnknownLocality: an activation names a locality the chart does not know.
	CodeRosterUnknownLocality = "roster.unknown-locality"
	// CodeRosterUnknownResponse: an activation names a response level no roster rule is written for.
	CodeRosterUnknownResponse = "roster.unknown-response"
	// CodeRosterNoResponse: an activation names no response level.
	CodeRosterNoResponse = "roster.no-response"
	// CodeRosterNoIndustry: a roster leaves out the parties bound to the industry, which was not given.
	CodeRosterNoIndustry = "roster.no-industry"
	// CodeRosterNoLocality: a roster leaves out the parties bound to the locality, which was not given.
	CodeRosterNoLocality = "roster.no-locality"
	// CodeRosterNoLocalityUnit: a locality has no unit of the role a placeholder binds to.
	CodeRosterNoLocalityUnit = "roster.no-locality-unit"
)
