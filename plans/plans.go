// Package plans embeds the plans that ship with yingji, one folder each:
// changji-2025 (the default) and national-493.
package plans

import "embed"

// FS holds every embedded plan folder.
//
//go:embed changji-2025 national-493
var FS embed.FS
