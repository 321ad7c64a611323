package main

import (
	"flag"

	"github.com/yingji/yingji/internal/human"
)

// lang is the language of human output: Chinese, the language of the plan
// and of the people on duty, or English. The library renderers take its
// tag (l.String()).
type lang = human.Lang

const (
	zh = human.Chinese
	en = human.English
)

// addLangFlag adds --lang to fs.
func addLangFlag(fs *flag.FlagSet) *lang {
	l := new(lang)
	fs.Var(l, "lang", "the `LANG` of the human output: zh (the default) or en")
	return l
}
