package orgchart

// The codes of the diagnostics and errors this package reports. Codes are
// stable: tools filter and translate by them.
const (
	// CodeOption: an option passed to Compile failed.
	CodeOption = "orgchart.option"
)
