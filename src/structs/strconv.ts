// Go's strconv.ParseBool, which Nomad applies to flags, filter literals, node attributes,
// legacy client options and template input alike.

/** Go's strconv.ParseBool: true, false, or undefined for anything else. */
export function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}
