// The ledger's canonical JSON (docs/spec/ledger.md §2.2, a subset of RFC 8785): null, booleans,
// safe integers, strings (JSON.stringify escapes exactly as JCS does), arrays, and objects with
// keys sorted by UTF-16 code units (what Array.prototype.sort compares). Anything else throws.
export function canonicalJson(value) {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`not a canonical integer: ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  throw new Error(`not a JSON value: ${typeof value}`);
}
