package bench

// The hand-written grading of changji-2025: the limit the data-driven
// engines are measured against. It is written from the plan text (1.3,
// 1.5, 以上含本数，以下不含本数), not generated from grading.yaml, so that
// agreeing with it checks yingji's reading of the data as well as its
// speed. It exists only here: the library never grades with code written
// for one plan.

// Ranks of the ordered enums, least severe first, as grading.yaml lists them.
const (
	None = iota
	County
	Prefecture
	Province            // crosses
	Region   = Province // exceedsCapacityOf, deemedNecessaryBy
)

// Facts is an incident as a hand-written program would hold it. Unknown
// facts are their zero value, the least severe, which is also how yingji
// takes an unknown input when it decides the grade.
type Facts struct {
	Deaths, Missing, Endangered, SeriousInjuries, Evacuated int64
	DirectLoss                                              float64 // yuan
	Crosses, ExceedsCapacityOf, DeemedNecessaryBy           int8
	CrossDomain, StateCouncilResponse                       bool
}

// The bits of Outcome.Matched, in the order of grading.yaml (most severe
// level first), and of Outcome.Scope.
const (
	esp1 = 1 << iota // 1.5 特别重大 (1)
	esp2
	esp3
	esp4
	esp5
	ser1 // 1.5 重大 (1)
	ser2
	ser3
	ser4
	ser5
	rel1 // 1.5 较大 (1)
	rel2
	rel3
	rel4
	rel5
	gen1 // 1.5 一般 (1)
	gen2

	espAll = esp1 | esp2 | esp3 | esp4 | esp5
	serAll = ser1 | ser2 | ser3 | ser4 | ser5
	relAll = rel1 | rel2 | rel3 | rel4 | rel5
)

const (
	scope1 = 1 << iota // 1.3 (1)
	scope2             // 1.3 (2)
	scope3             // 1.3 (3)
)

// Grade grades f by 1.5 and 1.3 of the Changji plan.
func Grade(f *Facts) Outcome {
	dm := f.Deaths + f.Missing // 死亡（含失踪）
	var m uint32
	// 1.5 特别重大
	if dm >= 30 || f.Endangered >= 30 || f.SeriousInjuries >= 100 || f.DirectLoss >= 1e8 {
		m |= esp1
	}
	if f.Evacuated >= 100_000 {
		m |= esp2
	}
	if f.ExceedsCapacityOf >= Region {
		m |= esp3
	}
	if f.Crosses >= Province {
		m |= esp4
	}
	if f.StateCouncilResponse {
		m |= esp5
	}
	// 1.5 重大
	if dm >= 10 && dm < 30 || f.Endangered >= 10 && f.Endangered < 30 ||
		f.SeriousInjuries >= 50 && f.SeriousInjuries < 100 || f.DirectLoss >= 5e7 && f.DirectLoss < 1e8 {
		m |= ser1
	}
	if f.ExceedsCapacityOf >= Prefecture {
		m |= ser2
	}
	if f.Evacuated >= 50_000 {
		m |= ser3
	}
	if f.Crosses >= Prefecture {
		m |= ser4
	}
	if f.DeemedNecessaryBy >= Region {
		m |= ser5
	}
	// 1.5 较大
	if dm >= 3 && dm < 10 || f.Endangered >= 10 && f.Endangered < 30 ||
		f.SeriousInjuries >= 30 && f.SeriousInjuries < 50 || f.DirectLoss >= 1e7 && f.DirectLoss < 5e7 {
		m |= rel1
	}
	if f.Evacuated >= 1000 && f.Evacuated < 50_000 {
		m |= rel2
	}
	if f.ExceedsCapacityOf >= County {
		m |= rel3
	}
	if f.Crosses >= County {
		m |= rel4
	}
	if f.DeemedNecessaryBy >= Prefecture {
		m |= rel5
	}
	// 1.5 一般
	if f.Deaths < 3 || f.SeriousInjuries < 10 || f.DirectLoss < 1e7 {
		m |= gen1
	}
	if f.DeemedNecessaryBy >= County {
		m |= gen2
	}

	o := Outcome{Level: 3, Matched: m} // 一般 is the baseline
	switch {
	case m&espAll != 0:
		o.Level = 0
	case m&serAll != 0:
		o.Level = 1
	case m&relAll != 0:
		o.Level = 2
	}
	// 1.3
	if dm >= 3 || f.Endangered >= 3 || f.SeriousInjuries >= 10 || f.Evacuated >= 10_000 || f.DirectLoss >= 1e7 {
		o.Scope |= scope1
	}
	if f.ExceedsCapacityOf >= County || f.Crosses >= County || f.CrossDomain {
		o.Scope |= scope2
	}
	if o.Level <= 2 {
		o.Scope |= scope3
	}
	return o
}
