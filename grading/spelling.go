package grading

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

// Spellings. People write a response level as the text does — Ⅲ, III,
// Ⅲ级, III 级响应, Ⅲ级应急响应 — and as they type it: 3, 三级. They name a
// grade by its name (较大), as a kind of accident (较大生产安全事故, 较大事故)
// or by the response level it starts. An ordered enum value is given by its
// id, its label (跨县级行政区) or a short form (县级). Every such spelling is
// data, declared in grading.yaml (aliases: beside the item, and the suffixes
// of spellings:), so a plan in another language declares its own; the
// only thing Go adds is foldSpelling, which makes the comparison blind to
// width, ASCII case and spacing.
//
// A spelling names one rank. Two items of one kind that share a spelling
// are a compile error, and a spelling that names nothing is an error that
// lists the valid values in order: it is never "corrected" by edit
// distance, which would steer Ⅲ to I.

// foldSpelling is the form in which spellings are compared: full-width
// ASCII folded to ASCII, ASCII letters in lower case, and spaces removed,
// except that one space is kept between two ASCII letters or digits, so
// "I 级" is "i级" but "I I" does not become "ii".
func foldSpelling(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var prev rune
	space := false
	for _, c := range s {
		c = foldFullWidth(c)
		if unicode.IsSpace(c) {
			space = true
			continue
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if space && isASCIIAlnum(prev) && isASCIIAlnum(c) {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(c)
		prev = c
	}
	return b.String()
}

func isASCIIAlnum(c rune) bool { return isASCIIDigit(c) || isASCIILetter(c) }

// spelling is where one spelling was declared, to explain a conflict.
type spelling struct {
	rank    int
	written string // the spelling as it results, suffix included
	path    string
	at      diag.Range
}

// spellTable collects the spellings of one kind of item.
type spellTable struct {
	what  string              // "response level", "grade", "value of crosses"
	whats string              // the plural: "values of crosses"
	name  func(int) string    // names the item of a rank, for messages
	byKey map[string]spelling // by folded spelling
}

func newSpellTable(what, whats string, name func(int) string) *spellTable {
	return &spellTable{what: what, whats: whats, name: name, byKey: map[string]spelling{}}
}

// keys returns the table without its provenance.
func (t *spellTable) keys() map[string]int {
	out := make(map[string]int, len(t.byKey))
	for k, s := range t.byKey {
		out[k] = s.rank
	}
	return out
}

// add records a spelling of the item of rank. A spelling that folds to
// nothing, or that already names another item, is an error.
func (c *compiler) addSpelling(t *spellTable, sp spelling) {
	key := foldSpelling(sp.written)
	if key == "" {
		c.diags = append(c.diags, diag.Diagnostic{Severity: diag.Error, Code: CodeSpellingEmpty, Subject: sp.at, Path: sp.path,
			Summary: fmt.Sprintf("an empty spelling of a %s", t.what),
			Fix:     "remove it, or write the spelling out"})
		return
	}
	prev, dup := t.byKey[key]
	switch {
	case !dup:
		t.byKey[key] = sp
	case prev.rank != sp.rank:
		c.diags = append(c.diags, diag.Diagnostic{Severity: diag.Error, Code: CodeSpellingConflict, Subject: sp.at, Path: sp.path,
			Summary: fmt.Sprintf("%q would name two of the %s: %s and %s", sp.written, t.whats, t.name(prev.rank), t.name(sp.rank)),
			Detail:  fmt.Sprintf("%q is already a spelling of %s (%s, at %s); one spelling must name one %s, or a person who writes it could be sent to the wrong one", prev.written, t.name(prev.rank), prev.path, prev.at, t.what),
			Fix:     "remove the spelling from one of the two",
			Params:  map[string]string{"spelling": sp.written, "first": t.name(prev.rank), "second": t.name(sp.rank)}})
	}
}

// aliasSpellings lists the aliases as spellings of rank at path.aliases.
func aliasSpellings(aliases []yamlx.String, rank int, path string) []spelling {
	out := make([]spelling, len(aliases))
	for i, a := range aliases {
		out[i] = spelling{rank: rank, written: a.Value, path: path + ".aliases[" + strconv.Itoa(i) + "]", at: a.At()}
	}
	return out
}

func aliasValues(aliases []yamlx.String) []string {
	if len(aliases) == 0 {
		return nil
	}
	out := make([]string, len(aliases))
	for i, a := range aliases {
		out[i] = a.Value
	}
	return out
}

// enumSpellings builds the spellings of enum input in: each value's id,
// label and aliases.
func (c *compiler) enumSpellings(in *Input, values []enumValueSpec, path string) {
	t := newSpellTable("value of "+in.ID, "values of "+in.ID, func(rank int) string { return enumChoice(in.Values[rank]) })
	seen := map[string]bool{}
	for j, v := range values {
		if seen[v.ID] || j >= len(in.Values) {
			continue // reported as a duplicate id
		}
		seen[v.ID] = true
		vp := path + ".values[" + strconv.Itoa(j) + "]"
		c.addSpelling(t, spelling{rank: j, written: v.ID, path: vp + ".id", at: v.Meta.At()})
		if v.Label != "" {
			c.addSpelling(t, spelling{rank: j, written: v.Label, path: vp + ".label", at: v.Meta.At()})
		}
		for _, sp := range aliasSpellings(v.Aliases, j, vp) {
			c.addSpelling(t, sp)
		}
	}
	in.spell = t.keys()
}

// spellings builds the spellings of the response levels and the grades:
// for a response level its id and aliases, each also with every response
// suffix, and its name; for a grade its id, name and aliases, each also
// with every level suffix, and every spelling of its response level.
func (c *compiler) spellings(sp *spellingsSpec, specs []levelSpec) {
	var respSuffixes, levelSuffixes []spelling
	if sp != nil && sp.Responses != nil {
		respSuffixes = c.suffixes(sp.Responses.Suffixes, "spellings.responses.suffixes")
	}
	if sp != nil && sp.Levels != nil {
		levelSuffixes = c.suffixes(sp.Levels.Suffixes, "spellings.levels.suffixes")
	}
	levels := c.r.levels
	resp := newSpellTable("response level", "response levels", func(i int) string { return responseChoice(levels[i]) })
	grade := newSpellTable("grade", "grades", func(i int) string { return levelChoice(levels[i]) })
	withSuffixes := func(t *spellTable, base spelling, suffixes []spelling) {
		c.addSpelling(t, base)
		for _, suf := range suffixes {
			c.addSpelling(t, spelling{rank: base.rank, written: base.written + suf.written, path: base.path, at: base.at})
		}
	}
	respIDs, levelIDs := map[string]bool{}, map[string]bool{}
	for i, s := range specs {
		if i >= len(levels) {
			break
		}
		path := "levels[" + strconv.Itoa(i) + "]"
		if r := s.Response; r != nil && !respIDs[r.ID] {
			respIDs[r.ID] = true
			rp := path + ".response"
			for _, base := range append([]spelling{{rank: i, written: r.ID, path: rp + ".id", at: r.Meta.At()}}, aliasSpellings(r.Aliases, i, rp)...) {
				withSuffixes(resp, base, respSuffixes)
			}
			if r.Name != "" {
				c.addSpelling(resp, spelling{rank: i, written: r.Name, path: rp + ".name", at: r.Meta.At()})
			}
		}
		if levelIDs[s.ID] {
			continue // reported as a duplicate id
		}
		levelIDs[s.ID] = true
		bases := []spelling{{rank: i, written: s.ID, path: path + ".id", at: s.Meta.At()}, {rank: i, written: s.Name, path: path + ".name", at: s.Meta.At()}}
		for _, base := range append(bases, aliasSpellings(s.Aliases, i, path)...) {
			withSuffixes(grade, base, levelSuffixes)
		}
	}
	// A grade is also named by the response level it starts.
	for _, key := range slices.Sorted(maps.Keys(resp.byKey)) {
		c.addSpelling(grade, resp.byKey[key])
	}
	c.r.responseKeys = resp.keys()
	c.r.levelKeys = grade.keys()
}

// suffixes checks the declared suffixes: each must be non-empty.
func (c *compiler) suffixes(list []yamlx.String, path string) []spelling {
	var out []spelling
	for i, s := range list {
		p := path + "[" + strconv.Itoa(i) + "]"
		if foldSpelling(s.Value) == "" {
			c.diags = append(c.diags, diag.Diagnostic{Severity: diag.Error, Code: CodeSpellingEmpty, Subject: s.At(), Path: p,
				Summary: "an empty suffix", Fix: "remove it: the spellings without a suffix are always read"})
			continue
		}
		out = append(out, spelling{written: s.Value, path: p, at: s.At()})
	}
	return out
}

// enumChoice names an enum value for a person: "county (跨县级行政区)".
func enumChoice(v EnumValue) string {
	if v.Label == "" {
		return v.ID
	}
	return v.ID + " (" + v.Label + ")"
}

// responseChoice names a level's response level: "III (Ⅲ级应急响应)".
func responseChoice(l *Level) string {
	if l.Response.Name == "" {
		return l.Response.ID
	}
	return l.Response.ID + " (" + l.Response.Name + ")"
}

// levelChoice names a grade: "relatively-serious (较大)".
func levelChoice(l *Level) string { return l.ID + " (" + l.Name + ")" }

// ParseResponse reads a response level as people write it: its id (III),
// its name (Ⅲ级应急响应), or an alias declared in grading.yaml (Ⅲ, 3, 三),
// alone or with one of the plan's response suffixes (Ⅲ级, III 级响应,
// 三级); width, ASCII case and spaces do not matter. A spelling that names
// no response level is an *InputError with code CodeResponseUnknown that
// lists the response levels, most severe first; it never guesses.
//
// ParseResponse is safe for concurrent use.
func (r *Rules) ParseResponse(s string) (Response, error) {
	if i, ok := r.responseKeys[foldSpelling(s)]; ok {
		return r.levels[i].Response, nil
	}
	var valid []string
	for _, l := range r.levels {
		if l.Response.ID != "" {
			valid = append(valid, responseChoice(l))
		}
	}
	msg := "not a response level of this plan; the response levels, most severe first, are " + strings.Join(valid, ", ")
	if len(valid) == 0 {
		msg = "this plan declares no response levels"
	}
	return Response{}, &InputError{Code: CodeResponseUnknown, Field: "response", Value: s, Message: msg,
		Params: map[string]string{"value": s, "valid": strings.Join(valid, ", ")}}
}

// ParseLevel reads a grade as people write it: its id (relatively-serious),
// its name (较大), an alias declared in grading.yaml, any of these with one
// of the plan's level suffixes (较大生产安全事故, 较大事故), or any spelling
// of the response level it starts (Ⅲ级应急响应, 3). A spelling that names no
// grade is an *InputError with code CodeLevelUnknown that lists the grades,
// most severe first; it never guesses.
//
// ParseLevel is safe for concurrent use.
func (r *Rules) ParseLevel(s string) (*Level, error) {
	if i, ok := r.levelKeys[foldSpelling(s)]; ok {
		return r.levels[i], nil
	}
	valid := make([]string, len(r.levels))
	for i, l := range r.levels {
		valid[i] = levelChoice(l)
		if l.Response.ID != "" {
			valid[i] = fmt.Sprintf("%s (%s, response %s)", l.ID, l.Name, l.Response.ID)
		}
	}
	return nil, &InputError{Code: CodeLevelUnknown, Field: "level", Value: s,
		Message: "not a grade of this plan; the grades, most severe first, are " + strings.Join(valid, ", "),
		Params:  map[string]string{"value": s, "valid": strings.Join(valid, ", ")}}
}

// enumRank reads an enum value by id, label or alias.
func (in *Input) enumRank(s string) (int, bool) {
	for i, v := range in.Values {
		if v.ID == s {
			return i, true
		}
	}
	r, ok := in.spell[foldSpelling(s)]
	return r, ok
}

// valueIDs lists the value ids of in, least severe first.
func (in *Input) valueIDs() []string {
	ids := make([]string, len(in.Values))
	for i, v := range in.Values {
		ids[i] = v.ID
	}
	return ids
}

func enumIDs(in *Input) string { return strings.Join(in.valueIDs(), ", ") }

// enumChoices lists the values of in, least severe first, with labels.
func enumChoices(in *Input) string {
	parts := make([]string, len(in.Values))
	for i, v := range in.Values {
		parts[i] = enumChoice(v)
	}
	return strings.Join(parts, ", ")
}
