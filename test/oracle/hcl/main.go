// hcl-oracle: HashiCorp's own HCL (hclsyntax, hclwrite) as a test oracle for Roam's HCL parser and
// formatter. Built only for tests (test/oracle/build.sh) from Debian's golang-go and
// golang-github-hashicorp-hcl-v2-dev, with GO111MODULE=off; it is never shipped.
//
//	hcl-oracle hcl FILE...  parse each file with hclsyntax and print its structure as one JSON object
//	                        keyed by file: {"body": BODY} or {"diagnostics": [...]}
//	hcl-oracle fmt FILE...  print hclwrite.Format of each file as one JSON object keyed by file
//
// BODY is {"attributes": {NAME: ATTR}, "blocks": [{"type", "labels", "body"}]}. An ATTR is
// {"value": V} for an expression that references no variables and calls no functions (evaluated
// with no context), {"expr": "source text"} for one that does, or {"error": "summary"} when a
// constant expression fails to evaluate.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

type diagnostic struct {
	Summary string `json:"summary"`
	Detail  string `json:"detail"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
}

type block struct {
	Type   string                 `json:"type"`
	Labels []string               `json:"labels"`
	Body   map[string]interface{} `json:"body"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: hcl-oracle hcl|fmt FILE...")
		os.Exit(2)
	}
	out := map[string]interface{}{}
	for _, path := range os.Args[2:] {
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		switch os.Args[1] {
		case "hcl":
			out[path] = parseFile(src, path)
		case "fmt":
			out[path] = string(hclwrite.Format(src))
		default:
			fmt.Fprintln(os.Stderr, "unknown mode", os.Args[1])
			os.Exit(2)
		}
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func parseFile(src []byte, path string) map[string]interface{} {
	file, diags := hclsyntax.ParseConfig(src, path, hcl.Pos{Line: 1, Column: 1})
	if diags.HasErrors() {
		list := []diagnostic{}
		for _, d := range diags {
			dd := diagnostic{Summary: d.Summary, Detail: d.Detail}
			if d.Subject != nil {
				dd.Line = d.Subject.Start.Line
				dd.Column = d.Subject.Start.Column
			}
			list = append(list, dd)
		}
		return map[string]interface{}{"diagnostics": list}
	}
	return map[string]interface{}{"body": bodyJSON(file.Body.(*hclsyntax.Body), src)}
}

func bodyJSON(body *hclsyntax.Body, src []byte) map[string]interface{} {
	attrs := map[string]interface{}{}
	for name, attr := range body.Attributes {
		attrs[name] = attrJSON(attr.Expr, src)
	}
	blocks := []block{}
	for _, b := range body.Blocks {
		labels := b.Labels
		if labels == nil {
			labels = []string{}
		}
		blocks = append(blocks, block{Type: b.Type, Labels: labels, Body: bodyJSON(b.Body, src)})
	}
	return map[string]interface{}{"attributes": attrs, "blocks": blocks}
}

func attrJSON(expr hclsyntax.Expression, src []byte) map[string]interface{} {
	text := string(expr.Range().SliceBytes(src))
	if len(hclsyntax.Variables(expr)) > 0 || callsFunction(expr) {
		return map[string]interface{}{"expr": text}
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return map[string]interface{}{"error": diags[0].Summary}
	}
	return map[string]interface{}{"value": valueJSON(v)}
}

// callsFunction reports whether a function call appears anywhere in expr.
func callsFunction(expr hclsyntax.Expression) bool {
	found := false
	hclsyntax.VisitAll(expr, func(n hclsyntax.Node) hcl.Diagnostics {
		if _, ok := n.(*hclsyntax.FunctionCallExpr); ok {
			found = true
		}
		return nil
	})
	return found
}

func valueJSON(v cty.Value) interface{} {
	if v.IsNull() {
		return nil
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString()
	case t == cty.Bool:
		return v.True()
	case t == cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return f
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		items := []interface{}{}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			items = append(items, valueJSON(e))
		}
		return items
	case t.IsMapType() || t.IsObjectType():
		m := map[string]interface{}{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			m[k.AsString()] = valueJSON(e)
		}
		return m
	default:
		return fmt.Sprintf("<%s>", t.FriendlyName())
	}
}
