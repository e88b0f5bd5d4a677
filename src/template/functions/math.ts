// consul-template's math helpers. Their Go signature is f(b, a) computing `a OP b`, so the piped
// value is the left operand: `{{ 5 | subtract 2 }}` is 3, and `{{ subtract 2 5 }}` is 3 too.
// int OP int stays an int (integer division truncates, a zero divisor is Go's runtime error);
// any float makes the result a float64.
import { sprintf } from '../fmt/sprintf.js';
import { defineFunc, fail, type FuncMap } from '../funcs.js';
import { goFloat, intValue, kindOf, toBigInt, toNumber } from '../values.js';

type Op = 'add' | 'subtract' | 'multiply' | 'divide' | 'modulo' | 'minimum' | 'maximum';

function unknownType(name: Op, v: unknown): never {
  fail(`${name}: unknown type for ${sprintf('%q (%T)', [v, v])}`);
}

function numericKind(v: unknown): 'int' | 'float' | undefined {
  const k = kindOf(v);
  return k === 'int' || k === 'float' ? k : undefined;
}

function compute(name: Op, b: unknown, a: unknown): unknown {
  const ka = numericKind(a);
  if (ka === undefined) unknownType(name, a);
  const kb = numericKind(b);
  if (kb === undefined) unknownType(name, b);
  if (name === 'modulo' && (ka === 'float' || kb === 'float')) unknownType(name, kb === 'float' ? b : a);
  if (ka === 'int' && kb === 'int') {
    const x = toBigInt(a);
    const y = toBigInt(b);
    switch (name) {
      case 'add':
        return intValue(BigInt.asIntN(64, x + y));
      case 'subtract':
        return intValue(BigInt.asIntN(64, x - y));
      case 'multiply':
        return intValue(BigInt.asIntN(64, x * y));
      case 'divide':
        if (y === 0n) fail('runtime error: integer divide by zero');
        return intValue(x / y);
      case 'modulo':
        if (y === 0n) fail('runtime error: integer divide by zero');
        return intValue(x % y);
      case 'minimum':
        return x < y ? a : b;
      case 'maximum':
        return x > y ? a : b;
    }
  }
  const x = toNumber(a);
  const y = toNumber(b);
  switch (name) {
    case 'add':
      return goFloat(x + y);
    case 'subtract':
      return goFloat(x - y);
    case 'multiply':
      return goFloat(x * y);
    case 'divide':
      return goFloat(x / y);
    case 'minimum':
      return x < y ? (ka === 'float' ? goFloat(x) : a) : kb === 'float' ? goFloat(y) : b;
    case 'maximum':
      return x > y ? (ka === 'float' ? goFloat(x) : a) : kb === 'float' ? goFloat(y) : b;
    default:
      return unknownType(name, a);
  }
}

export function mathFunctions(): FuncMap {
  const ops: Op[] = ['add', 'subtract', 'multiply', 'divide', 'modulo', 'minimum', 'maximum'];
  return Object.fromEntries(ops.map((op) => [op, defineFunc(['any', 'any'], (b, a) => compute(op, b, a))]));
}
