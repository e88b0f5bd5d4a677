// template-oracle: Go's own text/template as a test oracle for Roam's port (src/template). Built
// only for tests (test/oracle/build-template.sh) from Debian's golang-go with GO111MODULE=off and
// the standard library alone; it is never shipped.
//
//	template-oracle CASES.json   prints a JSON array with, per case, {"output": "..."} or
//	                             {"error": "..."}
//
// CASES.json is an array of {"name", "text", "data", "leftDelim", "rightDelim", "missingKey"}.
// JSON numbers in data become int when integral and float64 otherwise, the way Roam reads plain
// JavaScript numbers, so both sides see the same Go types.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"
)

type testCase struct {
	Name       string      `json:"name"`
	Text       string      `json:"text"`
	Data       interface{} `json:"data"`
	LeftDelim  string      `json:"leftDelim"`
	RightDelim string      `json:"rightDelim"`
	MissingKey string      `json:"missingKey"`
}

type result struct {
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

// convert turns json.Number into int (integral values) or float64.
func convert(v interface{}) interface{} {
	switch t := v.(type) {
	case json.Number:
		if !strings.ContainsAny(string(t), ".eE") {
			if i, err := t.Int64(); err == nil {
				return int(i)
			}
		}
		f, _ := t.Float64()
		return f
	case map[string]interface{}:
		for k, e := range t {
			t[k] = convert(e)
		}
		return t
	case []interface{}:
		for i, e := range t {
			t[i] = convert(e)
		}
		return t
	}
	return v
}

func run(c testCase) (res result) {
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprintf("panic: %v", r)
			res = result{Error: &msg}
		}
	}()
	name := c.Name
	if name == "" {
		name = "t"
	}
	t := template.New(name).Delims(c.LeftDelim, c.RightDelim)
	if c.MissingKey != "" {
		t = t.Option("missingkey=" + c.MissingKey)
	}
	t, err := t.Parse(c.Text)
	if err != nil {
		msg := err.Error()
		return result{Error: &msg}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, convert(c.Data)); err != nil {
		msg := err.Error()
		return result{Error: &msg}
	}
	out := buf.String()
	return result{Output: &out}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: template-oracle CASES.json")
		os.Exit(2)
	}
	src, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var cases []testCase
	if err := dec.Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	results := make([]result, len(cases))
	for i, c := range cases {
		results[i] = run(c)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
