// Package orgchart holds a plan's command structure as data: units and
// their duties, the headquarters with its posts and member units, working
// groups, placeholders bound at activation ("事故发生地县市人民政府"),
// localities, industries and their responsible units, support duties,
// contacts, and the roster rules of each response level. From it, Activate
// builds the roster of an incident — who commands, which groups form and
// who leads them, whom to notify and in what order, and why each party is
// there — and Draw redraws the command figures.
//
// Nothing in this package knows a particular plan: the Changji plan's
// units, groups, levels and clauses all live in its orgchart.yaml and
// contacts.yaml.
//
// # Compiling
//
// Hosts get a chart from the plan bundle: yingji.Load (or yingji.Default)
// reads plan.yaml's files.orgchart and files.contacts, compiles them with
// the rest of the plan, and puts the chart in Plan.Orgchart. A host may
// also compile the files itself, from their bytes:
//
//	contacts, ds := orgchart.ParseContacts("contacts.yaml", contactsSrc)
//	chart, ds := orgchart.Compile("orgchart.yaml", orgSrc, orgchart.WithContacts(contacts))
//
// Both return every problem at once as sorted diagnostics with file, line,
// column, YAML path and a fix; the chart is nil when any is an error, and
// a diagnostic about a listing points into the contacts file even when
// Compile reports it. Warnings and infos are the findings of the analysis:
// a member unit with no duty, a unit the chart names that no contact
// reaches, an industry with no responsible unit, and each file's
// interpretation notes as to-dos.
//
// # orgchart.yaml
//
// Every item has a clause: the plan's clause it comes from ("2.4 (2)",
// "附件 8.6 (6)"). Any item may carry an interpretation: a note saying
// which reading of an ambiguous or thin text the data takes, with the
// evidence. Items refer to each other by id; ids, names, short names and
// aliases are unique across the file, so that any of them finds one item.
// A unit's or placeholder's aliases are the other names the plan's own
// text uses for it (2.1 writes 昌吉武警支队, 2.3 (24) 武警昌吉支队), so that a
// name copied from the text finds it; abbreviations the text never writes
// are left out, since a lookup that guesses is worse than one that fails
// with a suggestion. Industries and localities, which a duty officer types,
// may also carry the everyday names of the trade or place (危化品, 奇台).
//
//	jurisdiction: {name, plan, clause}
//	units:                 organisations, offices and bodies
//	  - id, name, short, aliases, kind, clause, text
//	    formedBy:          who forms the body (it then has no standing contact):
//	                       - id, or {ref: id, condition, clause} when it forms
//	                         the body only sometimes ("根据需要")
//	    partOf: id         the body it is part of (the office of an HQ)
//	    contactVia: id     the unit it is reached through
//	    posts:             - {id, title, holder (as written), unit, label, clause}
//	    members:           - id, or {ref: id, condition, clause}
//	    duties:            - {clause, text, condition}
//	    links:             - {to, label, clause, condition, text}
//	placeholders:          parties named by their relation to the incident
//	  - id, name, aliases, clause, duties
//	    bind: locality | industry | incident
//	    role: a locality unit's role      (bind: locality)
//	    label: "{locality}公安部门"        (bind: locality, no such unit)
//	groups:
//	  - id, name, aliases, clause, partOf
//	    formed: the condition the group forms under ("根据救援工作实际")
//	    lead: id           exactly one
//	    coordinator: id
//	    members, duties    as for units
//	localities:
//	  - id, name, aliases, kind, clause
//	    units: [{role, id, name, aliases, clause}]   its government, its bureau
//	industries:
//	  - id, name, aliases, clause, text
//	    units: [ids]       none: the industryFallback unit stands in
//	industryFallback: {unit, clause, text}
//	supports:              - {clause, title, text, units}
//	responses:             roster rules
//	  - id, title, clause
//	    levels: [response level ids]      none: a fragment to extend
//	    command: id        who commands at this level
//	    extends: [response ids]           their steps come first
//	    steps:
//	      - action: notify | engage
//	        who: [ids]     units, placeholders or groups
//	        membersOf: id  every member of a body
//	        allGroups: true
//	        by, as, condition, clause, text
//	diagrams:              - {id, title, clause, root, note}
//
// Post labels may use {unit} (the bound unit's name), {industry} and
// {locality} (the incident's, joined with 、).
//
// # contacts.yaml
//
//	asOf: "2025-09-24"
//	source: 附件 8.5、附件 8.6
//	listings:
//	  - unit: id, name or alias
//	    written, clause, asOf, dutyPhone
//	    people: [{name, post, phone, clause}]
//
// A host with up-to-date contacts passes them to Chart.WithContacts in
// place of the plan's (7.3 of the Changji plan).
//
// # Rosters
//
// A roster follows the response rule of its level: the steps of the
// responses it extends, then its own, in order. A step notifies (the party
// is told) or engages (the party has a duty here) its parties, after
// binding: a locality placeholder becomes each locality's unit of its role
// or a body named by its label; an industry placeholder becomes the units
// of each industry; an incident placeholder stays as written and is marked
// Unbound for the host to fill. Engaging a body binds its posts; engaging a
// group forms it, with its condition, lead, coordinator and members.
// Notifications are numbered in step order, which is the text's order.
// Each entry lists its reasons (clause, role, condition, binding note) and
// its contacts; it is conditional when every reason for its involvement is.
// Without an industry or a locality, entries bound to it are left out and
// the roster says so in Warnings.
//
// What a roster says for people — the binding notes of its reasons and its
// warnings — is Chinese and names units, placeholders, industries and
// localities by their names ("事故发生地县市（园区）应急管理局 → 奇台县应急管理局",
// "条件见 2.3 (24)", "未给出事故发生地，…未列入名单"); the machine form is beside
// it (Reason.ConditionClause and Fallback, each warning's code and params).
//
// # Concurrency
//
// A Chart is immutable: every method may be called from any number of
// goroutines at once. Lookups return copies. WithContacts returns a new
// Chart. Rosters and diagrams are plain values owned by the caller.
package orgchart
