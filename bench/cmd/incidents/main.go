// Command incidents writes the seeded benchmark incidents as JSON lines,
// the input of `yingji grade --jsonl` in bench/run.
//
//	go run ./cmd/incidents -n 1000000 > incidents.jsonl
//	go run ./cmd/incidents -n 1000 -numbers > incidents.jsonl   # amounts as numbers only (for OPA)
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/bench"
)

func main() {
	n := flag.Int("n", 100_000, "how many incidents")
	numbers := flag.Bool("numbers", false, `every amount a number (no "5000万")`)
	flag.Parse()
	p, err := yingji.Default()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	write := bench.WriteJSONL
	if *numbers {
		write = bench.WriteJSONLNumbers
	}
	if err := write(os.Stdout, p.Grading, *n); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
