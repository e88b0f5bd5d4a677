import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FunctionError, type HclFunction } from '../functions/types.js';
import { evaluate, type EvalContext } from './evaluator.js';
import { parseExpression } from './parser.js';
import type { Value } from './value.js';

const functions: Record<string, HclFunction> = {
  upper: { params: ['str'], impl: ([s]) => String(s).toUpperCase() },
  join: {
    params: ['separator'],
    variadic: 'lists',
    impl: ([sep, ...lists]) => lists.flatMap((l) => (Array.isArray(l) ? l : [])).join(String(sep)),
  },
  max: { params: [], variadic: 'numbers', impl: (args) => Math.max(...args.map(Number)) },
  element: {
    params: ['list', 'index'],
    impl: ([l, i]) => {
      if (!Array.isArray(l)) throw new FunctionError('list required', 0);
      const v = l[Number(i)];
      if (v === undefined) throw new FunctionError('index out of range', 1);
      return v;
    },
  },
  boom: {
    params: [],
    impl: () => {
      throw new FunctionError('it broke');
    },
  },
};

const variables: Record<string, Value> = {
  var: { x: 'X', n: 3, s: '4', l: [1, 2, 3], m: { a: { b: 1 }, c: { b: 2 } }, nul: null, t: true, objs: [{ id: 'a' }, { id: 'b' }] },
  local: { region: 'eu' },
};

function ctx(extra: Partial<EvalContext> = {}): EvalContext {
  return { variables, functions, functionContext: { baseDir: '.', allowFS: false, now: () => new Date(0) }, ...extra };
}
function run(src: string, c: EvalContext = ctx()): { value: Value; errors: string[] } {
  const p = parseExpression(src, 'e.hcl');
  assert.deepEqual(p.diagnostics, [], src);
  assert.ok(p.expr);
  const r = evaluate(p.expr, c);
  return { value: r.value, errors: r.diagnostics.map((d) => `${d.subject?.start.line}:${d.subject?.start.column} ${d.summary}; ${d.detail}`) };
}
function ok(src: string, c?: EvalContext): Value {
  const r = run(src, c);
  assert.deepEqual(r.errors, [], src);
  return r.value;
}
function err(src: string, c?: EvalContext): string {
  const r = run(src, c);
  assert.equal(r.errors.length, 1, `${src} should fail once, got ${JSON.stringify(r.errors)}`);
  return r.errors[0] ?? '';
}

describe('evaluate: literals, collections, operators', () => {
  it('evaluates literals, tuples and objects', () => {
    assert.deepEqual(ok('[1, "a", true, null, {a = 1, "b" = [2]}]'), [1, 'a', true, null, { a: 1, b: [2] }]);
    assert.deepEqual(ok('{(var.x) = 1, "${local.region}-k" = 2}'), { X: 1, 'eu-k': 2 });
  });
  it('does arithmetic, converting numeric strings', () => {
    assert.equal(ok('1 + 2 * 3 - 4 / 2'), 5);
    assert.equal(ok('7 % 3'), 1);
    assert.equal(ok('var.s * 2'), 8);
    assert.equal(ok('-var.n'), -3);
  });
  it('reports a non-numeric operand and division by zero', () => {
    assert.equal(err('1 + var.x'), '1:5 Invalid operand; Unsuitable value for right operand: a number is required.');
    assert.equal(err('1 / 0'), "1:1 Operation failed; Error during operation: can't divide by zero.");
  });
  it('compares numbers and tests deep equality without conversion', () => {
    assert.equal(ok('2 > 1 && 1 >= 1 && 1 < 2 && 2 <= 2'), true);
    assert.equal(ok('[1, {a = "x"}] == [1, {a = "x"}]'), true);
    assert.equal(ok('1 == "1"'), false);
    assert.equal(ok('var.nul == null'), true);
    assert.equal(ok('{a = 1} != {a = 2}'), true);
  });
  it('evaluates boolean logic with short-circuit', () => {
    assert.equal(ok('var.t || var.nope.x'), true);
    assert.equal(ok('var.nul != null && var.nul.x == 1'), false);
    assert.equal(ok('true || var.nul.x'), true);
    assert.equal(err('1 && true'), '1:1 Invalid operand; Unsuitable value for left operand: a bool is required.');
  });
});

describe('evaluate: conditionals', () => {
  it('returns the chosen branch, unified with the other', () => {
    assert.equal(ok('var.t ? "a" : "b"'), 'a');
    assert.equal(ok('var.t ? 1 : "b"'), '1');
    assert.equal(ok('false ? null : 5'), 5);
  });
  it('ignores errors in the branch not taken', () => {
    assert.equal(ok('var.nul == null ? "d" : var.nul.x'), 'd');
  });
  it('reports inconsistent types and bad conditions', () => {
    assert.match(err('true ? "a" : {b = 1}'), /^1:8 Inconsistent conditional result types; .*'true' value is string, but the 'false' value is object/);
    assert.equal(err('var.nul ? 1 : 2'), '1:1 Null condition; The condition value is null. Conditions must either be true or false.');
    assert.match(err('"x" ? 1 : 2'), /^1:1 Incorrect condition type/);
  });
});

describe('evaluate: traversals, index, splat', () => {
  it('reads attributes, indices and legacy indices', () => {
    assert.equal(ok('var.m.a.b'), 1);
    assert.equal(ok('var.l[1]'), 2);
    assert.equal(ok('var.l.2'), 3);
    assert.equal(ok('var.m["c"].b'), 2);
    assert.equal(ok('var.l[var.n - 1]'), 3);
    assert.equal(ok('[10, 20][1]'), 20);
    assert.equal(ok('{a = {b = 5}}.a.b'), 5);
  });
  it('reports unsupported attributes and invalid indices with positions', () => {
    assert.equal(err('var.nope'), '1:4 Unsupported attribute; This object does not have an attribute named "nope".');
    assert.match(err('var.l[5]'), /^1:6 Invalid index; The given key does not identify an element in this collection value/);
    assert.match(err('var.m["zz"]'), /^1:6 Invalid index; /);
    assert.equal(err('var.nul.x'), '1:8 Attempt to get attribute from null value; This value is null, so it does not have any attributes.');
    assert.match(err('var.x.y'), /^1:6 Unsupported attribute; Can't access attributes on a primitive-typed value \(string\)/);
    assert.match(err('var.x[0]'), /^1:6 Invalid index; This value does not have any indices/);
  });
  it('splats lists, null and single values', () => {
    assert.deepEqual(ok('var.objs[*].id'), ['a', 'b']);
    assert.deepEqual(ok('var.objs.*.id'), ['a', 'b']);
    assert.deepEqual(ok('var.nul[*].id'), []);
    assert.deepEqual(ok('var.m.a[*].b'), [1]);
    assert.deepEqual(ok('[{a = [1, 2]}, {a = [3]}][*].a[0]'), [1, 3]);
    assert.equal(ok('var.objs.*.id[0]'), 'a');
  });
});

describe('evaluate: for expressions', () => {
  it('maps, filters and iterates maps in key order', () => {
    assert.deepEqual(ok('[for x in var.l : x * 2 if x != 2]'), [2, 6]);
    assert.deepEqual(ok('[for i, x in ["a", "b"] : "${i}${x}"]'), ['0a', '1b']);
    assert.deepEqual(ok('[for k, v in {b = 1, a = 2} : k]'), ['a', 'b']);
    assert.deepEqual(ok('{for k, v in var.m : k => v.b}'), { a: 1, c: 2 });
  });
  it('groups with ... and reports duplicate keys without it', () => {
    assert.deepEqual(ok('{for x in ["a", "bb", "c"] : length(x) => x...}', ctx({ functions: { ...functions, length: { params: ['v'], impl: ([v]) => String(v).length } } })), { 1: ['a', 'c'], 2: ['bb'] });
    assert.match(err('{for x in ["a", "a"] : x => 1}'), /^1:24 Duplicate object key; Two different items produced the key "a" in this 'for' expression/);
  });
  it('reports bad collections and conditions', () => {
    assert.match(err('[for x in var.nul : x]'), /^1:11 Iteration over null value/);
    assert.match(err('[for x in "s" : x]'), /^1:11 Iteration over non-iterable value; A value of type string/);
    assert.match(err('[for x in var.l : x if x]'), /^1:24 Invalid 'for' condition/);
  });
  it('scopes iterator variables to the expression', () => {
    assert.deepEqual(ok('[for var in [1] : var]'), [1]);
    assert.equal(ok('var.x'), 'X');
  });
});

describe('evaluate: templates', () => {
  it('reports null and collections in interpolations', () => {
    assert.equal(err('"a${var.nul}"'), '1:5 Invalid template interpolation value; The expression result is null. Cannot include a null value in a string template.');
    assert.match(err('"a${var.l}"'), /^1:5 Invalid template interpolation value; Cannot include the given value in a string template: string required/);
  });
});

describe('evaluate: function calls', () => {
  it('calls functions, with variadic arguments and expansion', () => {
    assert.equal(ok('upper(var.x)'), 'X');
    assert.equal(ok('join("-", ["a"], ["b", "c"])'), 'a-b-c');
    assert.equal(ok('max(var.l...)'), 3);
    assert.equal(ok('max(1, var.l...)'), 3);
  });
  it('reports unknown functions with a suggestion', () => {
    assert.equal(err('uper("a")'), '1:1 Call to unknown function; There is no function named "uper". Did you mean "upper"?');
  });
  it('reports argument count errors', () => {
    assert.equal(err('upper()'), '1:1 Not enough function arguments; Function "upper" expects 1 argument. Missing value for "str".');
    assert.equal(err('upper("a", "b")'), '1:12 Too many function arguments; Function "upper" expects only 1 argument.');
  });
  it('reports bad expansion values', () => {
    assert.match(err('max(var.x...)'), /^1:5 Invalid expanding argument value/);
  });
  it('positions FunctionError at the offending argument', () => {
    assert.equal(err('element(var.l, 9)'), '1:16 Invalid function argument; Invalid value for "index" parameter: index out of range.');
    assert.equal(err('element("s", 0)'), '1:9 Invalid function argument; Invalid value for "list" parameter: list required.');
    assert.equal(err('boom()'), '1:1 Error in function call; Call to function "boom" failed: it broke.');
  });
  it('implements try and can', () => {
    assert.equal(ok('try(var.nope, var.l[9], "fallback")'), 'fallback');
    assert.equal(ok('try(var.x, "fallback")'), 'X');
    assert.equal(ok('can(var.l[9])'), false);
    assert.equal(ok('can(var.l[0])'), true);
    assert.match(err('try(var.nope)'), /^1:1 Error in function call; Call to function "try" failed: no expression succeeded:\n- Unsupported attribute \(at e\.hcl:1,8-13\)/);
  });
});

describe('evaluate: undefined variables', () => {
  it('reports an unknown root variable without preserveUnknown', () => {
    assert.equal(err('vr.x'), '1:1 Unknown variable; There is no variable named "vr". Did you mean "var"?');
    assert.equal(err('"${NOMAD_META_budget}"'), '1:4 Unknown variable; There is no variable named "NOMAD_META_budget".');
  });

  describe('with preserveUnknown (Nomad jobspecs)', () => {
    const nomad = ctx({ preserveUnknown: true });
    it('keeps references to undefined roots verbatim', () => {
      assert.equal(ok('"${attr.kernel.name}"', nomad), '${attr.kernel.name}');
      assert.equal(ok('"${NOMAD_META_budget}"', nomad), '${NOMAD_META_budget}');
      assert.equal(ok('meta.mytest', nomad), '${meta.mytest}');
      assert.equal(ok('"${env["X"]}"', nomad), '${env["X"]}');
      assert.equal(ok('"${NOMAD_ALLOC_INDEX}"', nomad), '${NOMAD_ALLOC_INDEX}');
      assert.equal(ok('"${meta.rack}"', nomad), '${meta.rack}');
    });
    it('keeps whole templates that only reference undefined roots', () => {
      assert.equal(ok('"http://${NOMAD_IP_http}:${NOMAD_PORT_http}/x"', nomad), 'http://${NOMAD_IP_http}:${NOMAD_PORT_http}/x');
    });
    it('mixes preserved and evaluated references', () => {
      assert.equal(ok('"prefix-${node.unique.name}-${var.x}"', nomad), 'prefix-${node.unique.name}-X');
    });
    it('still reports undefined attributes of defined roots', () => {
      assert.match(err('"${var.nope}"', nomad), /^1:7 Unsupported attribute/);
    });
    it('evaluates for-expression variables normally', () => {
      assert.deepEqual(ok('[for s in ["a"] : "${s}-${node.unique.id}"]', nomad), ['a-${node.unique.id}']);
    });
  });
});
