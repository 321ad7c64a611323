package grading

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The fastjson files hold the fast paths of JSON in and out, for streams
// of incidents (`yingji grade --jsonl`): fastjson_parse.go decodes
// incidents, fastjson_encode.go encodes results. Neither decides anything
// of its own: the decoder handles only incidents it can take without a
// doubt and hands everything else, errors included, to the general
// decoder, which words the errors; the encoder's text comes from
// Result.MarshalJSON itself, cut into fragments once per rule set.

// parseFast decodes the common case of an incident: one flat JSON object
// whose keys are input ids written without escapes, each once, and whose
// values are null, a bool, a number, a string without escapes or a list of
// such strings, every one valid for its input. It returns false for
// anything else, and ParseIncident then takes the general path.
func (r *Rules) parseFast(data []byte) (Incident, bool) {
	inc := r.NewIncident()
	type list struct {
		id   string
		vals []string
	}
	var lists []list
	var seen uint32     // scalar inputs by index
	var seenList uint64 // list inputs by position
	i := skipWS(data, 0)
	if i >= len(data) || data[i] != '{' {
		return Incident{}, false
	}
	i = skipWS(data, i+1)
	if i < len(data) && data[i] == '}' {
		i++
	} else {
		for {
			key, next, ok := plainString(data, i)
			if !ok {
				return Incident{}, false
			}
			in, found := r.layout.byID[string(key)]
			if !found {
				return Incident{}, false
			}
			i = skipWS(data, next)
			if i >= len(data) || data[i] != ':' {
				return Incident{}, false
			}
			i = skipWS(data, i+1)
			if i >= len(data) {
				return Incident{}, false
			}
			if in.index >= 0 {
				if seen&(1<<in.index) != 0 {
					return Incident{}, false // a duplicate key: the last one wins there
				}
				seen |= 1 << in.index
			} else {
				bit := uint64(0)
				for j, l := range r.layout.inputs {
					if l == in && j < 64 {
						bit = 1 << j
					}
				}
				if bit == 0 || seenList&bit != 0 {
					return Incident{}, false
				}
				seenList |= bit
			}
			switch c := data[i]; {
			case c == 'n':
				if !bytes.HasPrefix(data[i:], []byte("null")) {
					return Incident{}, false
				}
				i += 4 // null leaves the input unknown
			case c == 't' || c == 'f':
				if in.Type != Bool {
					return Incident{}, false
				}
				x := 0.0
				switch {
				case bytes.HasPrefix(data[i:], []byte("true")):
					x, i = 1, i+4
				case bytes.HasPrefix(data[i:], []byte("false")):
					i += 5
				default:
					return Incident{}, false
				}
				inc.vals[in.index], inc.known = x, inc.known|1<<in.index
			case c == '"':
				s, next, ok := plainString(data, i)
				if !ok {
					return Incident{}, false
				}
				i = next
				var x float64
				switch in.Type {
				case Enum:
					rank := -1
					for j, v := range in.Values {
						if v.ID == string(s) {
							rank = j
							break
						}
					}
					if rank < 0 {
						return Incident{}, false
					}
					x = float64(rank)
				case Amount:
					f, err := ParseAmount(string(s))
					if err != nil || !acceptNumber(in, f) {
						return Incident{}, false
					}
					x = f
				default:
					return Incident{}, false
				}
				inc.vals[in.index], inc.known = x, inc.known|1<<in.index
			case c == '-' || c >= '0' && c <= '9':
				if in.Type != Count && in.Type != Amount {
					return Incident{}, false
				}
				end, integer := numberEnd(data, i)
				if end < 0 {
					return Incident{}, false
				}
				var x float64
				if integer && end-i <= 15 {
					n := int64(0)
					for _, d := range data[i:end] {
						n = n*10 + int64(d-'0')
					}
					x = float64(n)
				} else {
					f, err := strconv.ParseFloat(string(data[i:end]), 64)
					if err != nil {
						return Incident{}, false
					}
					x = f
				}
				if !acceptNumber(in, x) {
					return Incident{}, false
				}
				i = end
				inc.vals[in.index], inc.known = x, inc.known|1<<in.index
			case c == '[':
				if in.Type != List {
					return Incident{}, false
				}
				var vals []string
				i = skipWS(data, i+1)
				if i < len(data) && data[i] == ']' {
					i++
				} else {
					for {
						s, next, ok := plainString(data, i)
						if !ok {
							return Incident{}, false
						}
						vals = append(vals, string(s))
						i = skipWS(data, next)
						if i < len(data) && data[i] == ',' {
							i = skipWS(data, i+1)
							continue
						}
						if i < len(data) && data[i] == ']' {
							i++
							break
						}
						return Incident{}, false
					}
				}
				lists = append(lists, list{in.ID, vals})
			default:
				return Incident{}, false
			}
			i = skipWS(data, i)
			if i < len(data) && data[i] == ',' {
				i = skipWS(data, i+1)
				continue
			}
			if i < len(data) && data[i] == '}' {
				i++
				break
			}
			return Incident{}, false
		}
	}
	if skipWS(data, i) != len(data) {
		return Incident{}, false
	}
	// The general path sets lists in the order of their keys.
	slices.SortFunc(lists, func(a, b list) int { return strings.Compare(a.id, b.id) })
	for _, l := range lists {
		inc.lists = append(inc.lists, ListValue{Input: l.id, Values: l.vals})
	}
	return inc, true
}

// acceptNumber reports whether x is a value Set takes for in without
// complaint; the general path words the complaint.
func acceptNumber(in *Input, x float64) bool {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0), x < 0, x > maxValue:
		return false
	case in.Type == Count && x != math.Trunc(x):
		return false
	}
	return true
}

func skipWS(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// plainString reads a JSON string at data[i] that has no escapes and no
// control characters and is valid UTF-8, and returns its contents and the
// index after its closing quote.
func plainString(data []byte, i int) ([]byte, int, bool) {
	if i >= len(data) || data[i] != '"' {
		return nil, 0, false
	}
	ascii := true
	for j := i + 1; j < len(data); j++ {
		switch c := data[j]; {
		case c == '"':
			s := data[i+1 : j]
			if !ascii && !utf8.Valid(s) {
				return nil, 0, false
			}
			return s, j + 1, true
		case c == '\\' || c < 0x20:
			return nil, 0, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, 0, false
}

// numberEnd returns the end of the JSON number at data[i], or -1 if it is
// not one, and whether it is a plain run of digits.
func numberEnd(data []byte, i int) (int, bool) {
	start := i
	digits := func() bool {
		j := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		return i > j
	}
	if data[i] == '-' {
		i++
	}
	if i < len(data) && data[i] == '0' {
		i++
	} else if !digits() {
		return -1, false
	}
	integer := data[start] != '-'
	if i < len(data) && data[i] == '.' {
		i++
		if !digits() {
			return -1, false
		}
		integer = false
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if !digits() {
			return -1, false
		}
		integer = false
	}
	return i, integer
}
