// The audit filters, applied together by the form's button (each keystroke
// would be a LookupEvents call).
import { useState, type FormEvent } from 'react';
import { Button, TextField } from '../../ui/controls.js';
import { NO_FILTERS, rangeProblem, type AuditFilters, type Outcome } from './filters.js';

export function FilterForm({ initial, onApply }: { initial: AuditFilters; onApply: (f: AuditFilters) => void }) {
  const [f, setF] = useState(initial);
  const set = (part: Partial<AuditFilters>) => setF({ ...f, ...part });
  const range = rangeProblem(f);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!range) onApply(f);
  };
  return (
    <form className="panel filters" onSubmit={submit} aria-label="Filter events">
      <div className="row">
        <label className="field">
          From
          <input type="datetime-local" value={f.start} onChange={(e) => set({ start: e.target.value })} />
        </label>
        <label className="field">
          To
          <input type="datetime-local" value={f.end} onChange={(e) => set({ end: e.target.value })} />
        </label>
        <TextField label="Event name" value={f.eventName} onChange={(v) => set({ eventName: v })} />
        <TextField label="User name" value={f.userName} onChange={(v) => set({ userName: v })} />
        <TextField label="Key id or ARN" value={f.keyId} onChange={(v) => set({ keyId: v })} />
        <label className="field">
          Outcome
          <select value={f.outcome} onChange={(e) => set({ outcome: e.target.value as Outcome })}>
            <option value="any">Any</option>
            <option value="success">Succeeded</option>
            <option value="failure">Failed</option>
          </select>
        </label>
      </div>
      {range && <p className="error">{range}</p>}
      <div className="row">
        <Button type="submit" variant="primary" disabled={range !== undefined}>
          Apply filters
        </Button>
        <Button onClick={() => (setF(NO_FILTERS), onApply(NO_FILTERS))}>Clear filters</Button>
      </div>
    </form>
  );
}
