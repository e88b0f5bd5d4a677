// The HCL function library for jobspecs: Nomad's jobspec function set (jobspec2/functions.go)
// plus the conversion and convenience functions HCL jobspecs commonly use (tostring…, regex,
// startswith, sum, one, …). `try` and `can` are not here: the evaluator implements them because
// they need unevaluated expressions. The evaluator calls these through the contract in types.ts.
import { conversionFunctions } from './conversion.js';
import { cryptoFunctions } from './crypto.js';
import { datetimeFunctions } from './datetime.js';
import { encodingFunctions } from './encoding.js';
import { filesystemFunctions } from './filesystem.js';
import { formatFunctions } from './format.js';
import { jsonFunctions } from './json.js';
import { listFunctions } from './lists.js';
import { mapFunctions } from './maps.js';
import { networkFunctions } from './network.js';
import { numericFunctions } from './numeric.js';
import { regexFunctions } from './regex.js';
import { setFunctions } from './sets.js';
import { stringFunctions } from './strings.js';
import type { HclFunction } from './types.js';
import { yamlFunctions } from './yaml.js';

export { convertValue, typeToString } from './conversion.js';
export type { FunctionContext, HclFunction, HclObjectAttr, HclType } from './types.js';
export { FunctionError } from './types.js';

/** A fresh table of every jobspec function, keyed by the name jobspecs call it by. */
export function nomadFunctions(): Record<string, HclFunction> {
  return {
    ...conversionFunctions,
    ...cryptoFunctions,
    ...datetimeFunctions,
    ...encodingFunctions,
    ...filesystemFunctions,
    ...formatFunctions,
    ...jsonFunctions,
    ...listFunctions,
    ...mapFunctions,
    ...networkFunctions,
    ...numericFunctions,
    ...regexFunctions,
    ...setFunctions,
    ...stringFunctions,
    ...yamlFunctions,
  };
}
