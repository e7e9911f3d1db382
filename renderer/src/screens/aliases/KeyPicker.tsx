// Picks one key for an alias: a search box (alias, key id or description,
// as the key list's) narrowing a native select, so 10,000 keys are never
// 10,000 options. The first MAX_OPTIONS matches are listed and the rest
// counted, so the person knows to narrow the search.
import { useId, useState } from 'react';
import { filterKeys, NO_FILTERS, type KeyRow } from '../keys/key-list.js';
import { keyLabel } from './alias-list.js';

const MAX_OPTIONS = 200;

export interface KeyPickerProps {
  label: string;
  keys: readonly KeyRow[];
  value: string;
  onChange: (keyId: string) => void;
  /** the sentence under the select when the choice is refused */
  error?: string | undefined;
  autoFocus?: boolean;
}

export function KeyPicker({ label, keys, value, onChange, error, autoFocus }: KeyPickerProps) {
  const id = useId();
  const [search, setSearch] = useState('');
  const matches = filterKeys(keys, { ...NO_FILTERS, search });
  // the chosen key stays an option while the search hides it, so the select never shows a choice it does not hold
  const listed = matches.slice(0, MAX_OPTIONS);
  const chosen = value && !listed.some((k) => k.KeyId === value) ? keys.find((k) => k.KeyId === value) : undefined;
  const more = matches.length - listed.length;
  return (
    <div className="key-picker">
      <div className="field">
        <label htmlFor={`${id}-search`}>Find a key</label>
        <input id={`${id}-search`} type="search" value={search} onChange={(e) => setSearch(e.target.value)} aria-describedby={`${id}-count`} autoFocus={autoFocus} />
        <span id={`${id}-count`} className="hint" aria-live="polite">
          {matches.length === keys.length ? `${keys.length.toLocaleString()} keys` : `${matches.length.toLocaleString()} of ${keys.length.toLocaleString()} keys match`}
          {more > 0 ? `; the first ${MAX_OPTIONS} are listed, narrow the search for the rest.` : '.'}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-key`}>{label}</label>
        <select id={`${id}-key`} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
          <option value="">Choose a key…</option>
          {chosen && <option value={chosen.KeyId}>{keyLabel(chosen)}</option>}
          {listed.map((k) => (
            <option key={k.KeyId} value={k.KeyId}>
              {keyLabel(k)}
            </option>
          ))}
        </select>
        {error && (
          <span id={`${id}-error`} className="error">
            {error}
          </span>
        )}
      </div>
    </div>
  );
}
