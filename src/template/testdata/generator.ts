// A grammar-ish generator of templates over the built-in functions, for the property test (the
// engine never throws anything but TemplateError) and the Go differential test (Roam and Go agree
// on output or error). It avoids what Go 1.19 lacks (range over integers, {{else with}}).
import fc from 'fast-check';

export const GENERATOR_DATA = { a: 1, b: 'str', c: 2.5, l: [1, 2, 3], s: ['x', 'y'], m: { x: 1, y: 'z' }, n: null, t: true, e: '', z: 0 };

const field = fc.constantFrom('.a', '.b', '.c', '.l', '.s', '.m', '.m.x', '.m.y', '.n', '.t', '.e', '.z', '.missing', '.m.missing', '.', '$', '$.a');
const literal = fc.oneof(
  fc.constantFrom('1', '0', '-2', '3.5', '1e3', '0x1F', "'a'", 'true', 'false', '"s"', '""', '`raw`', '"a\\nb"', 'nil'),
  fc.integer({ min: -1000, max: 1000 }).map(String),
);
const verb = fc.constantFrom('%v', '%d', '%s', '%q', '%x', '%5.2f', '%-4v|', '%+d', '%t', '%e', '%g', '%05d', '%%', '%c', '%o', '%b', '%X', '%6s', '%.1s', '%T');

function operand(depth: number): fc.Arbitrary<string> {
  if (depth <= 0) return fc.oneof(field, literal);
  const sub = operand(depth - 1);
  return fc.oneof(
    { weight: 4, arbitrary: field },
    { weight: 3, arbitrary: literal },
    { weight: 1, arbitrary: sub.map((o) => `(len ${o})`) },
    { weight: 1, arbitrary: fc.tuple(sub, sub).map(([x, y]) => `(index ${x} ${y})`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or'), sub, sub).map(([f, x, y]) => `(${f} ${x} ${y})`) },
    { weight: 1, arbitrary: sub.map((o) => `(not ${o})`) },
    { weight: 1, arbitrary: fc.tuple(verb, fc.array(sub, { maxLength: 2 })).map(([v, a]) => `(printf "${v}" ${a.join(' ')})`) },
    { weight: 1, arbitrary: fc.array(sub, { maxLength: 3 }).map((a) => `(print ${a.join(' ')})`) },
    { weight: 1, arbitrary: fc.tuple(sub, fc.array(fc.constantFrom('0', '1', '2', '5'), { maxLength: 2 })).map(([x, i]) => `(slice ${x} ${i.join(' ')})`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('html', 'js', 'urlquery'), sub).map(([f, x]) => `(${f} ${x})`) },
  );
}

const pipeline = fc.oneof(
  { weight: 5, arbitrary: operand(2) },
  { weight: 1, arbitrary: fc.tuple(operand(1), fc.constantFrom('len', 'print', 'printf "%v"', 'html', 'not', 'index .l', 'eq 1', 'and 1', 'or 0')).map(([o, f]) => `${o} | ${f}`) },
  { weight: 1, arbitrary: operand(1).map((o) => `$v := ${o}`) },
);

const rangeTarget = fc.constantFrom('.l', '.s', '.m', '.b', '.n', '.missing', '.e');
const text = fc.constantFrom('', 'x', ' ', '\n', 'a b', '  \n  ', 'é');
const open = fc.constantFrom('{{', '{{- ', '{{ ');
const close = fc.constantFrom('}}', ' -}}', ' }}');

export function templateArbitrary(): fc.Arbitrary<string> {
  const { node } = fc.letrec<{ node: string; body: string }>((tie) => ({
    body: fc.array(tie('node'), { maxLength: 4 }).map((a) => a.join('')),
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 3, arbitrary: text },
      { weight: 5, arbitrary: fc.tuple(open, pipeline, close).map(([o, p, c]) => `${o}${p}${c}`) },
      { weight: 1, arbitrary: fc.tuple(pipeline, tie('body'), fc.option(tie('body'))).map(([p, b, e]) => `{{if ${p}}}${b}${e === null ? '' : `{{else}}${e}`}{{end}}`) },
      { weight: 1, arbitrary: fc.tuple(pipeline, tie('body')).map(([p, b]) => `{{with ${p}}}${b}{{end}}`) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom('', '$i, $e := ', '$e := '), rangeTarget, tie('body'), fc.constantFrom('', '{{break}}', '{{continue}}'), fc.option(tie('body')))
          .map(([d, t, b, ctl, e]) => `{{range ${d}${t}}}${b}${ctl}${e === null ? '' : `{{else}}${e}`}{{end}}`),
      },
      { weight: 1, arbitrary: fc.constantFrom('{{/* c */}}', '{{- /* c */ -}}', '{{ $ }}', '{{ template "d" .m }}', '{{ block "b" .l }}[{{ . }}]{{ end }}') },
    ),
  }));
  return node.map((n) => `{{define "d"}}<{{.x}}>{{end}}${n}`);
}

/** Mutations that make syntax errors likely: cut, duplicate or drop a character. */
export function mutatedTemplateArbitrary(): fc.Arbitrary<string> {
  return fc.tuple(templateArbitrary(), fc.nat(), fc.constantFrom('cut', 'dup', 'drop', 'brace')).map(([t, n, op]) => {
    const i = t.length === 0 ? 0 : n % t.length;
    switch (op) {
      case 'cut':
        return t.slice(0, i);
      case 'dup':
        return t.slice(0, i) + t.slice(i - 1 < 0 ? 0 : i - 1);
      case 'drop':
        return t.slice(0, i) + t.slice(i + 1);
      default:
        return `${t.slice(0, i)}{{${t.slice(i)}`;
    }
  });
}
