// Package human holds what the packages that write text for people share:
// the language of the text — Chinese, the language of the plans and of the
// people on duty, by default; English on request — and the layout of a
// terminal, where a Chinese character takes two columns.
//
// The public packages take a language as a tag ("zh", "en"); Of reads it.
package human

import "fmt"

// Lang is the language of human output. The zero value is Chinese.
//
// Concurrency: an immutable value, safe for concurrent use; Set modifies
// only the value it is called on.
type Lang int

const (
	// Chinese is the default: the language of the plans and of the
	// people who read the output.
	Chinese Lang = iota
	// English is for readers who do not read Chinese.
	English
)

// Parse reads a language tag strictly: "" or "zh", "zh-CN", "cn", "中文"
// is Chinese; "en", "en-US", "english" is English; anything else is an
// error.
func Parse(tag string) (Lang, error) {
	switch tag {
	case "", "zh", "zh-CN", "zh-Hans", "cn", "中文":
		return Chinese, nil
	case "en", "en-US", "en-GB", "english", "English":
		return English, nil
	}
	return Chinese, fmt.Errorf("the language is zh or en, not %q", tag)
}

// Of reads a language tag leniently, as the library options take it: a
// tag that starts with "en" is English, anything else Chinese.
func Of(tag string) Lang {
	if len(tag) >= 2 && (tag[:2] == "en" || tag[:2] == "EN" || tag[:2] == "En") {
		return English
	}
	return Chinese
}

// Pick returns the text in the language l.
func (l Lang) Pick(zh, en string) string {
	if l == English {
		return en
	}
	return zh
}

// String is the language's tag: "zh" or "en".
func (l Lang) String() string {
	if l == English {
		return "en"
	}
	return "zh"
}

// Set parses a tag into l (flag.Value).
func (l *Lang) Set(tag string) error {
	v, err := Parse(tag)
	if err != nil {
		return err
	}
	*l = v
	return nil
}
