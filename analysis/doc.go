// Package analysis is for a plan's drafters and testers: it lints a plan,
// diffs two grading rule sets, and generates the boundary cases a tester
// pins as a golden table (see grading/gradingtest).
//
// # Per input, under the any-criterion semantics
//
// A level's criteria are alternatives ("出现下列情况之一"), and the least
// severe level usually holds for almost any incident through some fact it
// does not care about (an incident with 12 deaths and no recorded loss
// also meets 一般's "直接经济损失 1000 万元以下"). Asking "which levels does
// this incident meet" would flag everything. So every question is asked of
// one input at a time: along the values of that input, with every other
// input at its least severe value (0, the first enum value, false), which
// levels name the input there — that is, have an alternative that reads
// the input and holds. The alternatives of a criterion are the kids of its
// any:, or the disjuncts of its top-level "||" when it is an expression; an
// all: is one alternative. Inputs that share a derived quantity
// (deaths + missing) are co-members: along one of them the others are 0.
//
// Interval, ordered-enum and bool atoms are analysed exactly: each input's
// values are cut into cells at every threshold that reads it, and every
// alternative's truth is constant on a cell. Expressions are evaluated at
// the same cells, with the numbers they compare with added to the cuts, so
// "deaths + missing >= 3" is analysed like "deathsAndMissing: 3 人以上";
// an expression that is not linear in its inputs may change truth between
// two cuts and is then analysed only at them.
//
// # Lint
//
// LintRules returns the findings about a grading rule set. Whole-plan
// lint is the root package's (*yingji.Plan).Lint: it adds the plan's load
// warnings, every interpretation: note, and UncitedClauses — the rows of
// plan.yaml's rule-bearing index that no item cites, given the parts that
// cite clauses as ClauseReferrers (the orgchart and the workflow
// definition satisfy the interface; GradingCitations and Citations make
// the rest). analysis itself depends on grading and diag only. Each
// finding is a diag.Diagnostic positioned at the criterion or threshold it
// is about, with its clause, the input's range and an example incident
// graded by the engine. The codes:
//
//	lint.gap             a range of an input that no level names
//	lint.overlap         a count or amount range two levels name
//	lint.shadowed        an alternative that can never decide a grade
//	lint.unsatisfiable   an alternative that never holds
//	lint.unreachable     a level no incident can get (error)
//	lint.non-monotone    more of an input gives a lower grade (error)
//	lint.threshold-order a more severe level starting below a less severe one
//	lint.scope           the scope's own thresholds against the grades it covers
//	lint.unused-input    an input no criterion reads and not declared context
//	lint.uncited-clause  a rule-bearing clause no item cites
//	lint.incomplete      a part the lint could not check, and why
//
// (codes.go declares them as constants). A finding's Detail says why —
// the evidence and an example graded by the engine — and its Fix how to
// fix it, in a short sentence.
//
// # The lint for people
//
// NewReport arranges the findings (Report): counts by severity, errors
// then warnings then notes, the most consequential first; a finding that
// only follows from a gap (the gap on a co-member input, the grade
// falling there, the scope disagreeing there) folded under it as Related,
// and findings of one kind with the same fix grouped; interpretation
// notes counted, listed on request with the whole note once. WriteText
// renders it for a person, WriteJSON as one array ([] when clean). Every
// range a message renders is also given as Bounds, with numeric ends
// written the plan's way (whole-number counts as [lo, hi)).
//
// # Diff and boundary cases
//
// Diff grades the same incidents with two rule sets along every input and
// lists the ranges where the grades (compared by level id) or, when both
// have a scope, the scope differ, with an example and both deciding
// clauses. BoundaryCases lists every threshold just below, at and just
// above, with the grade, clause and scope the rules give; CaseSet reads and
// writes them as YAML or JSON and checks them against a rule set.
//
// # Whole-plan diff and coverage
//
// DiffElements and DiffRosters compare the parts of two plans the root
// package flattens into Elements and RosterViews (yingji.Diff), and
// PlanDiff renders the result. GradingCoverage measures what a set of
// incidents exercises of a rule set — criteria matched, both sides of
// every threshold boundary — as a CoverageReport, the report `yingji test
// --coverage` and gradingtest.Coverage give.
//
// # Concurrency
//
// Every function of this package reads the immutable Rules it is given
// and builds its own state, so any number of them may run at once.
// Findings, GradeChanges, Facts and CaseSets are plain values owned by the
// caller.
package analysis
