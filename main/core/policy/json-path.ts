// Error helpers for the policy parser. AWS answers a bad policy with
// MalformedPolicyDocumentException (KMS API Reference, PutKeyPolicy /
// CreateKey errors); we add the JSON path of the offending element so the
// author can find it, e.g. `Statement[1].Effect: expected "Allow" or "Deny", got "allow"`.
import { KmsError } from '../errors.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Path of a child element: `Statement[1]`, `Statement[1].Effect`, `Condition["kms:CallerAccount"]`. */
export function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENT.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

export const malformed = (path: string, message: string): KmsError =>
  new KmsError('MalformedPolicyDocumentException', path ? `${path}: ${message}` : message);

/** A short rendering of a JSON value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const s = JSON.stringify(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
