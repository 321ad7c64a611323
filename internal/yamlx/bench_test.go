package yamlx

import (
	"strings"
	"testing"
)

// BenchmarkParse parses the files of changji-2025, as a load does.
func BenchmarkParse(b *testing.B) {
	files := map[string][]byte{}
	size := 0
	for name, src := range planFiles(b) {
		if strings.HasPrefix(name, "changji-2025/") {
			files[name] = src
			size += len(src)
		}
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for name, src := range files {
			if _, ds := Parse(name, src); len(ds) > 0 {
				b.Fatal(ds)
			}
		}
	}
}
