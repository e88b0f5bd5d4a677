// Nomad's `?filter=` expression language (go-bexpr) and list pagination, as a pure library for
// the list endpoints. See README.md in this folder for the language and where Roam differs.
export { applyFilter, compileFilter } from './filter.js';
export type { Filter } from './filter.js';
export { FilterError } from './errors.js';
export type { FilterErrorKind } from './errors.js';
export { compareIndexedTokens, compareTokens, paginate } from './paginate.js';
export type { Page, PageOptions } from './paginate.js';
