package yingji

import (
	"fmt"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/orgchart"
)

// The collections of the orgchart a list input may refer to with ref:.
const (
	refIndustries = "industries"
	refLocalities = "localities"
)

// refKinds are the collections of the plan's other data that a list input
// of grading.yaml may refer to with ref:, and how to look an id up in each.
var refKinds = map[string]func(c *orgchart.Chart, key string) (string, bool){
	refIndustries: func(c *orgchart.Chart, key string) (string, bool) {
		i, ok := c.Industry(key)
		return i.ID, ok
	},
	refLocalities: func(c *orgchart.Chart, key string) (string, bool) {
		l, ok := c.Locality(key)
		return l.ID, ok
	},
}

// checkRefs reports list inputs whose ref: names nothing the plan has. A
// plan whose orgchart is declared but does not compile has its errors
// reported already; "the plan has no orgchart" would only follow from
// them.
func (l *loader) checkRefs(m *manifestSpec, rules *grading.Rules, chart *orgchart.Chart) {
	if rules == nil {
		return
	}
	orgFailed := chart == nil && m.Files.Orgchart != ""
	for _, in := range rules.Inputs() {
		if in.Ref == "" {
			continue
		}
		if _, ok := refKinds[in.Ref]; !ok {
			l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, Code: diag.CodePlanRef, Subject: in.RefAt,
				Summary: fmt.Sprintf("input %s refers to %q, which is not a collection of the plan", in.ID, in.Ref),
				Fix:     `use ref: industries or ref: localities.` + diag.Suggest(in.Ref, []string{"industries", "localities"}),
				Params:  map[string]string{"input": in.ID, "ref": in.Ref}})
			continue
		}
		if chart == nil && !orgFailed {
			l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, Code: diag.CodePlanRef, Subject: in.RefAt,
				Summary: fmt.Sprintf("input %s refers to the orgchart's %s, but the plan has no orgchart", in.ID, in.Ref),
				Fix:     "add files.orgchart to plan.yaml, or remove ref:",
				Params:  map[string]string{"input": in.ID, "ref": in.Ref}})
		}
	}
}

// ParseIncident decodes an incident from JSON with the plan's grading rules
// and checks its lists against the rest of the plan: every industry and
// locality must be one the orgchart knows (by id, name or alias), and is
// rewritten to its id. Errors satisfy errors.Is(err, grading.ErrBadInput).
func (p *Plan) ParseIncident(data []byte) (grading.Incident, error) {
	if p.Grading == nil {
		return grading.Incident{}, noGrading()
	}
	inc, err := p.Grading.ParseIncident(data)
	if err != nil {
		return inc, err
	}
	if err := p.CheckIncident(&inc); err != nil {
		return grading.Incident{}, err
	}
	return inc, nil
}

// CheckIncident checks the lists of inc against the plan's orgchart and
// rewrites each id, name or alias to the id. On error inc is unchanged.
func (p *Plan) CheckIncident(inc *grading.Incident) error {
	if p.Grading == nil || p.Orgchart == nil {
		return nil
	}
	var errs grading.InputErrors
	next := *inc
	for _, in := range p.Grading.Inputs() {
		lookup, ok := refKinds[in.Ref]
		if !ok {
			continue
		}
		v, set := inc.Value(in.ID)
		if !set {
			continue
		}
		var ids []string
		for _, name := range v.([]string) {
			id, ok := lookup(p.Orgchart, name)
			if !ok {
				known := p.knownRefs(in.Ref)
				errs = append(errs, &grading.InputError{Code: grading.CodeInputUnknownRef, Field: in.ID, Value: name,
					Message: fmt.Sprintf("not one of the plan's %s.%s", in.Ref, diag.Suggest(name, known)),
					Params:  map[string]string{"field": in.ID, "value": name, "ref": in.Ref}})
				continue
			}
			ids = append(ids, id)
		}
		if err := next.Set(in.ID, ids); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return errs
	}
	*inc = next
	return nil
}

func (p *Plan) knownRefs(kind string) []string {
	var out []string
	switch kind {
	case refIndustries:
		for _, i := range p.Orgchart.Industries() {
			out = append(out, i.ID, i.Name)
			out = append(out, i.Aliases...)
		}
	case refLocalities:
		for _, l := range p.Orgchart.Localities() {
			out = append(out, l.ID, l.Name)
			out = append(out, l.Aliases...)
		}
	}
	return out
}
