// Public API of Roam's HCL implementation: native and JSON syntax parsers behind one schema-driven
// Body interface, the expression evaluator, dynamic blocks, and diagnostics rendering. The jobspec
// decoder builds on these names only.
export type { Attribute, Block, Body, BodyContent, BodySchema, AttributeSchema, BlockHeaderSchema, Expression, File, TemplatePart, TraversalStep } from './ast.js';
export type { Pos, Range } from './pos.js';
export { formatRange, rangeBetween, rangeText } from './pos.js';
export type { Diagnostic, Severity } from './diagnostics.js';
export { didYouMean, errorDiag, formatDiagnostic, hasErrors } from './diagnostics.js';
export { parseHCL, parseExpression, parseTemplate, type ParseResult } from './parser.js';
export { parseHCLJSON } from './json-body.js';
export { evaluate, type EvalContext, type EvalResult } from './evaluator.js';
export { expressionTraversals, exprAsKeyword, type TraversalExpression } from './traversals.js';
export { typeExpression } from './typeexpr.js';
export { expandDynamic } from './dynamic.js';
export { bodyToValue } from './body-value.js';
export { toBool, toNumber, toStringValue, valuesEqual } from './convert.js';
export { isObject, typeName, type Value, type ValueObject } from './value.js';
