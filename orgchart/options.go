package orgchart

// config is what the options of Compile set.
type config struct {
	contacts *Contacts
}

// Option configures Compile. An option that fails is reported as an error
// diagnostic with code CodeOption; the chart is then nil.
//
// Concurrency: options are plain functions, safe to share between
// goroutines and to reuse for any number of compilations.
type Option func(*config) error

// WithContacts attaches contacts (usually from ParseContacts on the plan's
// contacts.yaml) to the chart Compile builds. Compile checks that every
// listing names a unit of the chart and reports what the contacts lack; its
// diagnostics about a listing point into the contacts file the listing came
// from. The contacts are copied: changing them afterwards does not change
// the chart.
func WithContacts(c Contacts) Option {
	c = c.clone()
	return func(cfg *config) error {
		cfg.contacts = &c
		return nil
	}
}
