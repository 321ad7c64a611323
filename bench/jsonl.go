package bench

import (
	"bufio"
	"encoding/json"
	"io"
	"math"
	"strconv"

	"github.com/yingji/yingji/grading"
)

// AppendJSON renders a case as one JSON object, keys sorted. With wan set,
// an amount that is a whole number of 万 is written as incident reports
// often give it ("5000万"), which the decoder must parse as an amount.
func AppendJSON(dst []byte, c Case, wan bool) ([]byte, error) {
	if wan {
		if x, ok := c["directLoss"].(float64); ok && x >= 10000 && math.Mod(x, 10000) == 0 {
			c2 := Case{}
			for k, v := range c {
				c2[k] = v
			}
			c2["directLoss"] = strconv.FormatFloat(x/10000, 'f', -1, 64) + "万"
			c = c2
		}
	}
	b, err := json.Marshal(c)
	return append(dst, b...), err
}

// WriteJSONL writes n incidents of the seeded set (in the proportions of
// Mix), one JSON object per line, every tenth amount in 万 where it can be.
func WriteJSONL(w io.Writer, r *grading.Rules, n int) error { return writeJSONL(w, r, n, true) }

// WriteJSONLNumbers writes the same incidents with every amount a number
// (yuan), as an engine that does not read "5000万" needs them (OPA in
// server/BENCHMARKS.md).
func WriteJSONLNumbers(w io.Writer, r *grading.Rules, n int) error { return writeJSONL(w, r, n, false) }

func writeJSONL(w io.Writer, r *grading.Rules, n int, wan bool) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	cases := Incidents(r, n, func(c Case) int {
		f := ToFacts(c)
		return int(Grade(&f).Level)
	})
	var line []byte
	var err error
	for i, c := range cases {
		if line, err = AppendJSON(line[:0], c, wan && i%10 == 0); err != nil {
			return err
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}
