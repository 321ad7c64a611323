// Package grading grades incidents by a plan's severity rules, written as
// data in grading.yaml, and explains every grade with clauses and figures.
//
// # Semantics
//
// Levels are listed most severe first. Within a level the criteria are
// alternatives ("出现下列情况之一"): any one decides it. Levels are tried from
// the most severe; the first with a matching criterion is the grade. A level
// marked baseline applies when none matches ("every accident is at least
// 一般"). Each criterion measures the quantity its own words name: 死亡（含失踪）
// is a derived quantity (deaths + missing), 死亡 alone is the input deaths.
//
// Unknown is not zero. An input never set is unknown; the grade is what the
// known facts establish, with unknown inputs at their least severe value (0,
// the first enum value, false). A criterion that holds only through such a
// value is marked provisional, and the result names the unknown inputs that
// could still raise the grade and the most severe level each could reach.
//
// # grading.yaml
//
//	inputs:                       # the facts of an incident; ids are JSON names
//	  - id: deaths                # letters and digits, usable in expressions
//	    type: count               # count | amount | enum | bool | list
//	    label: 死亡
//	    unit: 人                   # thresholds must use this unit (人, 元)
//	    clause: "1.5"
//	    flags: [loss]             # extra CLI flag names (optional)
//	    context: true             # declared but not graded (lists always are)
//	    values:                   # enum only, least severe first
//	      - {id: none, label: 不跨行政区}
//	      - {id: county, label: 跨县级行政区, aliases: [县级]}
//	quantities:                   # derived quantities
//	  - id: deathsAndMissing
//	    label: 死亡（含失踪）
//	    expr: deaths + missing     # a sum of inputs is evaluated natively
//	levels:                       # most severe first
//	  - id: serious
//	    name: 重大
//	    aliases: []               # other names of the grade (optional)
//	    clause: "1.5 重大"
//	    response: {id: II, name: Ⅱ级应急响应, aliases: [Ⅱ, 2, 二], clause: 附件 8.3}
//	    authority: {clause: "4.2", bodies: [自治区指挥部], text: …}
//	    baseline: false
//	    criteria:
//	      - clause: "1.5 重大 (1)"   # also the criterion's id unless id: is given
//	        also: ["附件 8.3 II 级 (1)"]
//	        text: 研判造成 10 人以上、30 人以下死亡（含失踪）…
//	        interpretation: …      # where the text is ambiguous: the reading taken and why
//	        when:
//	          any:                 # any | all | expr | QUANTITY: THRESHOLD
//	            - deathsAndMissing: 10 人以上、30 人以下
//	            - directLoss: 5000 万元以上、1 亿元以下
//	scope:                        # the plan's scope clause (1.3)
//	  clause: "1.3"
//	  criteria:
//	    - clause: "1.3 (3)"
//	      grades: [serious]        # in scope whenever graded at one of these (or above)
//	spellings:                    # words read after a response level or a grade (optional)
//	  responses: {suffixes: [级, 级响应, 级应急响应]}
//	  levels: {suffixes: [生产安全事故, 事故]}
//
// A threshold is written as the plan writes it — "30 人以上", "3 人以下",
// "10 人以上、30 人以下", "1 万人以上", "5000 万元以上、1 亿元以下" — and read under
// the boundary convention plan.yaml declares (以上 inclusive, 以下 exclusive
// for Changji and Decree 493), or as an interval "[10, 30)", "[5000万, 1亿)",
// or a comparison ">= 30". An enum threshold names a value and means "at
// least": exceedsCapacityOf: prefecture holds for prefecture and region;
// "= county" means exactly. A bool threshold is true or false.
//
// An expr: condition is any boolean expression of github.com/expr-lang/expr
// over the inputs and quantities, type-checked at load: counts and amounts
// are float64, bools bool, enums their value id as a string, compared by
// rank with atLeast(crosses, "county"). Every criterion, structured or not,
// is compiled to such a program; structured ones are also evaluated
// natively and can be analysed. Expressions are capped in size (MaxNodes,
// default DefaultMaxNodes) and in what one evaluation may allocate
// (MemoryBudget, default DefaultMemoryBudget), and cannot loop or do I/O.
//
// # Spellings
//
// People write a response level and a grade as the text does, not as the
// ids: Ⅲ, III, Ⅲ级, III 级响应, Ⅲ级应急响应, 3, 三级; 较大, 较大生产安全事故,
// 较大事故. Rules.ParseResponse and Rules.ParseLevel read every spelling the
// plan declares: a response level's id, name and aliases, the id and each
// alias followed by any of spellings.responses.suffixes; a grade's id,
// name and aliases, each also followed by any of spellings.levels.suffixes,
// and every spelling of the response level the grade starts. An enum input
// takes a value's id, label or aliases (Incident.Set, Rules.ParseIncident).
// The comparison ignores width (full-width ＩＩＩ is III), ASCII case and
// spaces; everything else is data, so a plan in another language declares
// its own spellings.
//
// One spelling names one item: two response levels, grades or values of one
// enum that would share a spelling are a compile error
// (CodeSpellingConflict). A spelling that names nothing is an *InputError
// (CodeResponseUnknown, CodeLevelUnknown, CodeInputEnumUnknown) that lists
// the valid values in order with their labels. It never suggests the
// nearest spelling: these values are ranked, and a guess that turns Ⅲ into
// I would send an incident to the wrong response.
//
// # Concurrency
//
// Compiled Rules are immutable and safe for concurrent use. An Incident is a
// value; do not Set it from several goroutines at once. A Result is a value
// that refers to the Rules that produced it.
package grading
