// Test support for the function library's tests (imported only by *.test.ts): calls a function
// from the full table the way the evaluator does, and asserts the FunctionError it throws.
import assert from 'node:assert/strict';
import type { Value } from '../hcl/value.js';
import { nomadFunctions } from './index.js';
import type { FunctionContext } from './types.js';
import { FunctionError } from './types.js';

const table = nomadFunctions();

export const testContext: FunctionContext = {
  baseDir: '/nonexistent',
  allowFS: true,
  now: () => new Date('2026-11-26T13:31:15.250Z'),
};

export function call(name: string, args: Value[], ctx: FunctionContext = testContext): Value {
  const fn = table[name];
  if (fn === undefined) throw new Error(`no function ${name}`);
  return fn.impl(args, ctx);
}

/** A table row: function, arguments, expected result. */
export type Case = [name: string, args: Value[], want: Value];
/** An error row: function, arguments, expected argIndex, a fragment of the message. */
export type ErrorCase = [name: string, args: Value[], argIndex: number | undefined, fragment: string | RegExp];

export function checkCases(cases: readonly Case[]): void {
  for (const [name, args, want] of cases) {
    assert.deepStrictEqual(call(name, args), want, `${name}(${JSON.stringify(args)})`);
  }
}

export function checkErrors(cases: readonly ErrorCase[], ctx: FunctionContext = testContext): void {
  for (const [name, args, argIndex, fragment] of cases) {
    assert.throws(
      () => call(name, args, ctx),
      (err: unknown) => {
        assert.ok(err instanceof FunctionError, `${name}: expected a FunctionError, got ${String(err)}`);
        assert.equal(err.argIndex, argIndex, `${name}(${JSON.stringify(args)}) argIndex; message: ${err.message}`);
        if (typeof fragment === 'string') assert.ok(err.message.includes(fragment), `${name}: message ${JSON.stringify(err.message)} lacks ${JSON.stringify(fragment)}`);
        else assert.match(err.message, fragment);
        return true;
      },
      `${name}(${JSON.stringify(args)}) should fail`,
    );
  }
}
