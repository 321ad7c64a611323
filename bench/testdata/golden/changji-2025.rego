# Generated from the compiled grading rules by bench.RegoSource; do not edit.
# OPA answers POST /v1/data/yingji/grading/grade {"input": {…incident…}}.
package yingji.grading

# The facts; an unknown one at its least value.
deaths := object.get(input, "deaths", 0)
missing := object.get(input, "missing", 0)
endangered := object.get(input, "endangered", 0)
seriousInjuries := object.get(input, "seriousInjuries", 0)
evacuated := object.get(input, "evacuated", 0)
directLoss := object.get(input, "directLoss", 0)
crosses := {"none": 0, "county": 1, "prefecture": 2, "province": 3}[object.get(input, "crosses", "none")]
crossDomain := object.get(input, "crossDomain", false)
exceedsCapacityOf := {"none": 0, "county": 1, "prefecture": 2, "region": 3}[object.get(input, "exceedsCapacityOf", "none")]
deemedNecessaryBy := {"none": 0, "county": 1, "prefecture": 2, "region": 3}[object.get(input, "deemedNecessaryBy", "none")]
stateCouncilResponse := object.get(input, "stateCouncilResponse", false)

# Every level criterion that holds, by id.
matched contains "1.5 特别重大 (1)" if {
	(deaths + missing) >= 30
}

matched contains "1.5 特别重大 (1)" if {
	endangered >= 30
}

matched contains "1.5 特别重大 (1)" if {
	seriousInjuries >= 100
}

matched contains "1.5 特别重大 (1)" if {
	directLoss >= 100000000
}

matched contains "1.5 特别重大 (2)" if {
	evacuated >= 100000
}

matched contains "1.5 特别重大 (3)" if {
	exceedsCapacityOf >= 3
}

matched contains "1.5 特别重大 (4)" if {
	crosses >= 3
}

matched contains "1.5 特别重大 (5)" if {
	stateCouncilResponse
}

matched contains "1.5 重大 (1)" if {
	(deaths + missing) >= 10
	(deaths + missing) < 30
}

matched contains "1.5 重大 (1)" if {
	endangered >= 10
	endangered < 30
}

matched contains "1.5 重大 (1)" if {
	seriousInjuries >= 50
	seriousInjuries < 100
}

matched contains "1.5 重大 (1)" if {
	directLoss >= 50000000
	directLoss < 100000000
}

matched contains "1.5 重大 (2)" if {
	exceedsCapacityOf >= 2
}

matched contains "1.5 重大 (3)" if {
	evacuated >= 50000
}

matched contains "1.5 重大 (4)" if {
	crosses >= 2
}

matched contains "1.5 重大 (5)" if {
	deemedNecessaryBy >= 3
}

matched contains "1.5 较大 (1)" if {
	(deaths + missing) >= 3
	(deaths + missing) < 10
}

matched contains "1.5 较大 (1)" if {
	endangered >= 10
	endangered < 30
}

matched contains "1.5 较大 (1)" if {
	seriousInjuries >= 30
	seriousInjuries < 50
}

matched contains "1.5 较大 (1)" if {
	directLoss >= 10000000
	directLoss < 50000000
}

matched contains "1.5 较大 (2)" if {
	evacuated >= 1000
	evacuated < 50000
}

matched contains "1.5 较大 (3)" if {
	exceedsCapacityOf >= 1
}

matched contains "1.5 较大 (4)" if {
	crosses >= 1
}

matched contains "1.5 较大 (5)" if {
	deemedNecessaryBy >= 2
}

matched contains "1.5 一般 (1)" if {
	deaths < 3
}

matched contains "1.5 一般 (1)" if {
	seriousInjuries < 10
}

matched contains "1.5 一般 (1)" if {
	directLoss < 10000000
}

matched contains "1.5 一般 (2)" if {
	deemedNecessaryBy >= 1
}

criterion_rank := {"1.5 特别重大 (1)": 0, "1.5 特别重大 (2)": 0, "1.5 特别重大 (3)": 0, "1.5 特别重大 (4)": 0, "1.5 特别重大 (5)": 0, "1.5 重大 (1)": 1, "1.5 重大 (2)": 1, "1.5 重大 (3)": 1, "1.5 重大 (4)": 1, "1.5 重大 (5)": 1, "1.5 较大 (1)": 2, "1.5 较大 (2)": 2, "1.5 较大 (3)": 2, "1.5 较大 (4)": 2, "1.5 较大 (5)": 2, "1.5 一般 (1)": 3, "1.5 一般 (2)": 3}

levels := [{"id": "especially-serious", "response": "I"}, {"id": "serious", "response": "II"}, {"id": "relatively-serious", "response": "III"}, {"id": "general", "response": "IV"}]

# The grade: the most severe level with a criterion that holds, else the baseline.
default rank := 3

rank := min({criterion_rank[c] | some c in matched}) if count(matched) > 0

# Every scope criterion that holds.
scope contains "1.3 (1)" if {
	(deaths + missing) >= 3
}

scope contains "1.3 (1)" if {
	endangered >= 3
}

scope contains "1.3 (1)" if {
	seriousInjuries >= 10
}

scope contains "1.3 (1)" if {
	evacuated >= 10000
}

scope contains "1.3 (1)" if {
	directLoss >= 10000000
}

scope contains "1.3 (2)" if {
	exceedsCapacityOf >= 1
}

scope contains "1.3 (2)" if {
	crosses >= 1
}

scope contains "1.3 (2)" if {
	crossDomain
}

scope contains "1.3 (3)" if rank <= 2

grade := {"level": levels[rank].id, "response": levels[rank].response, "matched": sort(matched), "scope": sort(scope), "inScope": count(scope) > 0}
