package grading

// The stable machine codes of the diagnostics and errors this package
// reports. A front end branches on and translates by these, never by the
// message. Each is declared once, here.
const (
	// CodeOption: an option of Compile was given a value it cannot take.
	CodeOption = "grading.option"
)
