// The tenant's keys in the session's region (#/keys): search by alias, key id
// or description, filters by state, spec, usage and origin, sortable
// columns, a region switcher, and a link to create a key. The whole list is
// loaded a page of 1,000 at a time (ListKeyDetails: one audited call per
// page) and filtered here, so a filter answers at once.
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { KEY_SPECS, KEY_STATES, KEY_USAGES, ORIGINS } from '../../../../main/api/enums.js';
import { useSession } from '../../session.js';
import { Button, TextField } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { filterKeys, NO_FILTERS, sameRows, type KeyFilters, type KeyRow } from './key-list.js';
import { loadKeyList } from './load-keys.js';
import { KeyTable } from './KeyTable.js';
import { RegionSwitcher } from './RegionSwitcher.js';

const CHOICES = { state: KEY_STATES, spec: KEY_SPECS, usage: KEY_USAGES, origin: ORIGINS } as const;
const LABELS = { state: 'State', spec: 'Spec', usage: 'Usage', origin: 'Origin' } as const;

export function KeysScreen() {
  const { session } = useSession();
  const [loaded, setLoaded] = useState(0);
  const keys = useQuery({
    queryKey: ['keys', session.Region],
    queryFn: () => loadKeyList(setLoaded),
    structuralSharing: (old, next) => (old && sameRows(old as KeyRow[], next as KeyRow[]) ? old : next),
  });
  const [filters, setFilters] = useState<KeyFilters>(NO_FILTERS);
  const id = useId();
  const all = keys.data;
  const shown = useMemo(() => (all ? filterKeys(all, filters) : []), [all, filters]);
  const filtering = filters !== NO_FILTERS && Object.values(filters).some((v) => v !== '');

  return (
    <section aria-labelledby="keys-title" className="keys-screen">
      <header className="page-header">
        <h1 id="keys-title">Keys</h1>
        <Link href="/create-key" className="button button-primary">
          Create key
        </Link>
        <RegionSwitcher />
      </header>

      <div className="key-filters" role="search" aria-label="Filter keys">
        <TextField label="Search" description="Alias, key id or description" value={filters.search} onChange={(search) => setFilters({ ...filters, search })} />
        {(Object.keys(CHOICES) as (keyof typeof CHOICES)[]).map((name) => (
          <div key={name} className="field">
            {/* a label of its own, not wrapping the select: a wrapping label's name would take in the options' text */}
            <label htmlFor={`${id}-${name}`}>{LABELS[name]}</label>
            <select id={`${id}-${name}`} value={filters[name]} onChange={(e) => setFilters({ ...filters, [name]: e.target.value })}>
              <option value="">Any</option>
              {CHOICES[name].map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </div>
        ))}
        <Button onClick={() => setFilters(NO_FILTERS)} disabled={!filtering}>
          Clear filters
        </Button>
      </div>

      {keys.error ? (
        <div className="error-state">
          <ErrorNote error={keys.error} />
          <Button onClick={() => void keys.refetch()}>Try again</Button>
        </div>
      ) : !all ? (
        <p role="status">Loading keys…{loaded > 0 ? ` ${loaded.toLocaleString()} so far.` : ''}</p>
      ) : all.length === 0 ? (
        <p role="status">No keys in this region yet.</p>
      ) : (
        <>
          <p role="status" className="hint">
            {filtering ? `${shown.length.toLocaleString()} of ${all.length.toLocaleString()} keys match.` : `${all.length.toLocaleString()} ${all.length === 1 ? 'key' : 'keys'} in ${session.Region}.`}
          </p>
          {shown.length === 0 ? <p>No keys match these filters.</p> : <KeyTable rows={shown} />}
        </>
      )}
    </section>
  );
}
