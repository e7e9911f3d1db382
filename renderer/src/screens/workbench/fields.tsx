// The workbench's shared fields: a key chooser (any key id, ARN or alias,
// with the tenant's aliases and keys offered), and a copy button that goes
// through the app's clipboard (CopyToClipboard clears it after the
// settings' delay).
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';

export function KeyField({ label = 'Key', value, onChange, optional }: { label?: string; value: string; onChange: (v: string) => void; optional?: boolean }) {
  const id = useId();
  const aliases = useQuery({ queryKey: ['aliases'], queryFn: () => run('ListAliases', {}) });
  const keys = useQuery({ queryKey: ['keys', 'ids'], queryFn: () => run('ListKeys', { Limit: 1000 }) });
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {optional ? ' (optional)' : ''}
      </label>
      <input id={id} list={`${id}-keys`} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={`${id}-hint`} autoComplete="off" className="mono" />
      <span id={`${id}-hint`} className="hint">
        Key id, key ARN or alias (alias/…).
      </span>
      <datalist id={`${id}-keys`}>
        {aliases.data?.Aliases.filter((a) => a.TargetKeyId).map((a) => <option key={a.AliasName} value={a.AliasName} />)}
        {keys.data?.Keys.map((k) => <option key={k.KeyId} value={k.KeyId} />)}
      </datalist>
    </div>
  );
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [said, setSaid] = useState<string>();
  const [error, setError] = useState<unknown>();
  const copy = async () => {
    setError(undefined);
    try {
      const { ClearAfterSeconds } = await run('CopyToClipboard', { Text: text });
      setSaid(`Copied; cleared from the clipboard in ${ClearAfterSeconds} s.`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <span className="copy">
      <Button onClick={() => void copy()}>{label}</Button>
      <span role="status">{said}</span>
      <ErrorNote error={error} />
    </span>
  );
}

/** A result people read and copy: a labelled, read-only text area. */
export function Output({ label, value, copyLabel }: { label: string; value: string; copyLabel?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} readOnly rows={Math.min(8, Math.max(2, Math.ceil(value.length / 80)))} value={value} className="mono" />
      {copyLabel && <CopyButton text={value} label={copyLabel} />}
    </div>
  );
}
