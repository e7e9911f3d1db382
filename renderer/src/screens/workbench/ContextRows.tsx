// An encryption context as key-value rows (AWS KMS Developer Guide,
// "Encryption context"): what Encrypt binds to a ciphertext, Decrypt must
// be given again.
import { Button } from '../../ui/controls.js';

export interface Row {
  key: string;
  value: string;
}

export function ContextRows({ label, rows, onChange }: { label: string; rows: Row[]; onChange: (rows: Row[]) => void }) {
  const set = (i: number, row: Partial<Row>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...row } : r)));
  return (
    <fieldset className="rows">
      <legend>{label}</legend>
      {rows.length === 0 && <p className="hint">None.</p>}
      {rows.map((r, i) => (
        <div key={i} className="row">
          <input aria-label={`${label} key ${i + 1}`} placeholder="Key" value={r.key} onChange={(e) => set(i, { key: e.target.value })} />
          <input aria-label={`${label} value ${i + 1}`} placeholder="Value" value={r.value} onChange={(e) => set(i, { value: e.target.value })} />
          <Button onClick={() => onChange(rows.filter((_, j) => j !== i))}>Remove pair {i + 1}</Button>
        </div>
      ))}
      <Button onClick={() => onChange([...rows, { key: '', value: '' }])}>Add pair</Button>
    </fieldset>
  );
}
