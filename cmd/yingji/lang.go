package main

import (
	"flag"
	"fmt"
)

// lang is the language of human output: Chinese, the language of the plan
// and of the people on duty, or English.
type lang int

const (
	zh lang = iota
	en
)

// pick returns the text in the language l.
func (l lang) pick(zhText, enText string) string {
	if l == en {
		return enText
	}
	return zhText
}

func (l *lang) String() string {
	if l != nil && *l == en {
		return "en"
	}
	return "zh"
}

func (l *lang) Set(s string) error {
	switch s {
	case "zh", "zh-CN", "cn", "中文":
		*l = zh
	case "en", "en-US", "english":
		*l = en
	default:
		return fmt.Errorf("--lang is zh or en, not %q", s)
	}
	return nil
}

// addLangFlag adds --lang to fs.
func addLangFlag(fs *flag.FlagSet) *lang {
	l := new(lang)
	fs.Var(l, "lang", "the `LANG` of the human output: zh (the default) or en")
	return l
}
