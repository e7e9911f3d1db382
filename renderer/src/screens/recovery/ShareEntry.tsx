// The custodians' shares, given one at a time, for RecoverVaultCustody and
// RestoreBackup (main/session/recover-operations.ts): each a file (chosen in
// the desktop's dialog or typed; its form is read from its content) or a
// paper share's words typed; with the custodian's passphrase for a
// passphrase-sealed file, or their age identity for an age file. Each share
// is named for its custodian (the split names them), so the passphrase field
// says whose it is. Nothing typed here is kept once the call is made: the
// parent clears the shares when it settles.
import type { InputOf, OutputOf } from '../../../../main/api/index.js';
import { Button, TextField } from '../../ui/controls.js';
import { PathField } from '../../ui/PathField.js';

export type Split = OutputOf<'DescribeRecoverySplit'>;
type ShareInput = InputOf<'RecoverVaultCustody'>['Shares'][number];

export interface ShareRow {
  custodian: string;
  kind: 'file' | 'words';
  path: string;
  words: string;
  passphrase: string;
  ageIdentity: string;
}

export const emptyShare = (custodian = ''): ShareRow => ({ custodian, kind: 'file', path: '', words: '', passphrase: '', ageIdentity: '' });

/** The rows as the contract's Shares: only what each share needs. */
export const sharesInput = (rows: readonly ShareRow[]): ShareInput[] =>
  rows.map((r) => ({
    ...(r.kind === 'file' ? { Path: r.path } : { Words: r.words }),
    ...(r.passphrase !== '' ? { Passphrase: r.passphrase } : {}),
    ...(r.ageIdentity.trim() !== '' ? { AgeIdentity: r.ageIdentity } : {}),
  }));

/** "any 3 of alice, bob, carol, dave, erin" */
export const splitSummary = (s: Split) => `any ${s.Threshold} of ${s.Count} custodians: ${s.Custodians.join(', ')}`;

export function ShareEntry({ split, rows, onChange, disabled = false }: { split: Split; rows: ShareRow[]; onChange: (rows: ShareRow[]) => void; disabled?: boolean }) {
  const set = (i: number, change: Partial<ShareRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const unused = split.Custodians.filter((c) => !rows.some((r) => r.custodian === c));
  return (
    <fieldset className="shares" disabled={disabled}>
      <legend>
        Shares given: {rows.length} of the {split.Threshold} needed
      </legend>
      {rows.map((r, i) => {
        const who = r.custodian || `share ${i + 1}`;
        return (
          <div className="panel share" key={i} role="group" aria-label={`Share ${i + 1} (${who})`}>
            <div className="row">
              <div className="field">
                <label htmlFor={`share-${i}-custodian`}>Share {i + 1}: custodian</label>
                <select id={`share-${i}-custodian`} value={r.custodian} onChange={(e) => set(i, { custodian: e.target.value })}>
                  {split.Custodians.map((c) => (
                    <option key={c} value={c} disabled={c !== r.custodian && rows.some((o) => o.custodian === c)}>
                      {c}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`share-${i}-kind`}>Given as</label>
                <select id={`share-${i}-kind`} value={r.kind} onChange={(e) => set(i, { kind: e.target.value as ShareRow['kind'] })}>
                  <option value="file">A share file</option>
                  <option value="words">Paper words, typed</option>
                </select>
              </div>
              <Button onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove share ${i + 1} (${who})`}>
                Remove
              </Button>
            </div>
            {r.kind === 'file' ? (
              <>
                <PathField
                  label={`${who}’s share file`}
                  value={r.path}
                  onChange={(path) => set(i, { path })}
                  dialog={{ kind: 'file', title: `${who}’s share file` }}
                  description="A sealed share (.share), an age share (.share.age), a paper sheet (.paper.txt) or an ssss line (.ssss.txt); its form is read from its content."
                  isRequired
                />
                <TextField
                  label={`${who}’s passphrase`}
                  description="For a passphrase-sealed share (.share): typed by the custodian."
                  type="password"
                  autoComplete="off"
                  value={r.passphrase}
                  onChange={(passphrase) => set(i, { passphrase })}
                />
                <div className="field">
                  <label htmlFor={`share-${i}-age`}>{who}’s age identity</label>
                  <textarea
                    id={`share-${i}-age`}
                    className="mono"
                    rows={2}
                    spellCheck={false}
                    autoComplete="off"
                    placeholder="AGE-SECRET-KEY-1…"
                    value={r.ageIdentity}
                    onChange={(e) => set(i, { ageIdentity: e.target.value })}
                  />
                  <span className="hint">For an age share (.share.age): the custodian’s identity file’s text.</span>
                </div>
              </>
            ) : (
              <div className="field">
                <label htmlFor={`share-${i}-words`}>{who}’s paper words</label>
                <textarea id={`share-${i}-words`} className="mono" rows={4} spellCheck={false} autoComplete="off" value={r.words} onChange={(e) => set(i, { words: e.target.value })} />
                <span className="hint">The 45 words of the paper share, in order (numbers and line breaks are ignored).</span>
              </div>
            )}
          </div>
        );
      })}
      <Button onClick={() => onChange([...rows, emptyShare(unused[0] ?? '')])} disabled={rows.length >= split.Count}>
        Add a share
      </Button>
    </fieldset>
  );
}

/** How this machine keeps the master key from now on: the keychain, or a new vault passphrase typed twice. */
export interface NewCustody {
  custody: 'keychain' | 'passphrase';
  passphrase: string;
  again: string;
}

export const newCustody = (): NewCustody => ({ custody: 'keychain', passphrase: '', again: '' });

/** The custody members of the input, or a problem to say. */
export function custodyInput(c: NewCustody): { Custody: 'keychain' } | { Custody: 'passphrase'; VaultPassphrase: string } | string {
  if (c.custody === 'keychain') return { Custody: 'keychain' };
  if (c.passphrase === '') return 'Type the new vault passphrase, twice.';
  if (c.passphrase !== c.again) return 'The two vault passphrases differ.';
  return { Custody: 'passphrase', VaultPassphrase: c.passphrase };
}

export function CustodyFields({ value, onChange, name }: { value: NewCustody; onChange: (c: NewCustody) => void; name: string }) {
  return (
    <fieldset className="choices">
      <legend>From now on, the vault’s master key is kept in</legend>
      <label>
        <input type="radio" name={name} checked={value.custody === 'keychain'} onChange={() => onChange({ ...value, custody: 'keychain' })} /> This computer’s OS keychain
      </label>
      <label>
        <input type="radio" name={name} checked={value.custody === 'passphrase'} onChange={() => onChange({ ...value, custody: 'passphrase' })} /> A new vault passphrase
      </label>
      {value.custody === 'passphrase' && (
        <>
          <TextField label="New vault passphrase" type="password" autoComplete="new-password" value={value.passphrase} onChange={(passphrase) => onChange({ ...value, passphrase })} isRequired />
          <TextField label="New vault passphrase again" type="password" autoComplete="new-password" value={value.again} onChange={(again) => onChange({ ...value, again })} isRequired />
        </>
      )}
    </fieldset>
  );
}
