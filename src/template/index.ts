// The template package: Go's text/template (parseTemplate, Template) and the consul-template /
// Nomad function library (createTemplateFunctions, renderNomadTemplate) over an injected
// TemplateDataProvider. Pure: no network, no disk, no clock unless handed in.
export { TemplateError } from './errors.js';
export { defineFunc, defineVariadic, fail, type FuncMap, type FuncSpec, type ParamType, type TemplateFunction } from './funcs.js';
export { parseTemplate, Template, type ExecuteOptions, type ParseTemplateOptions } from './template.js';
export type { MissingKeyMode } from './exec.js';
export { formatValue, sprint, sprintln } from './fmt/print.js';
export { sprintf } from './fmt/sprintf.js';
export { GoFloat, goFloat, goStruct, defineMethods, defineStringer, defineJSON } from './values.js';
export { DependencyTracker } from './functions/dependencies.js';
export { EMPTY_PROVIDER, type QueryScope, type ServiceStub, type TemplateDataProvider } from './functions/provider.js';
export { createTemplateFunctions, DEFAULT_FUNCTION_DENYLIST, templateFunctionNames, type TemplateFileReader, type TemplateFunctionOptions } from './functions/index.js';
export { sprigFunctions } from './functions/sprig.js';
export { chooseServices } from './functions/nomad.js';
export { renderNomadTemplate, renderParsedTemplate, parseNomadTemplate, type NomadTemplateOptions, type RenderResult } from './render.js';
