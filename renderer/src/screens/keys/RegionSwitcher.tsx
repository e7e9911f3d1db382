// Moves the session to another region (app operation SwitchRegion): keys and
// aliases live in a region, as in AWS. The same user stays signed in; what
// was read in the old region is read again.
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { run } from '../../bridge.js';
import { useSession } from '../../session.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';

/** Regions this window has been in, offered as suggestions (the vault keeps no list of regions). */
const visited = new Set<string>(['local-1']);

export function RegionSwitcher() {
  const { session, updateSession } = useSession();
  const queries = useQueryClient();
  const [region, setRegion] = useState(session.Region);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  visited.add(session.Region);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      const next = await run('SwitchRegion', { Region: region.trim() });
      visited.add(next.Region);
      updateSession(next);
      await queries.invalidateQueries();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="region-switcher" onSubmit={submit} aria-label="Region switcher">
      <label>
        Region
        <input value={region} onChange={(e) => setRegion(e.target.value)} list="known-regions" required maxLength={32} aria-describedby="region-now" />
      </label>
      <datalist id="known-regions">
        {[...visited].map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <Button type="submit" disabled={busy || region.trim() === session.Region}>
        {busy ? 'Switching…' : 'Switch region'}
      </Button>
      <span id="region-now" className="hint">
        Now in {session.Region}
      </span>
      <ErrorNote error={error} />
    </form>
  );
}
