// A new split of the recovery key (SplitRecoveryKey): M of N custodians,
// each receiving their share as they choose — a file sealed to their own
// passphrase (typed here by them, twice), a file sealed to their age
// recipient, or words and a QR code to print — or, for custodians who want
// to recover without Strongroom, ssss lines. The app writes the files into
// the folder chosen in the desktop's dialog (or typed). The input is checked
// against the contract's own schema before anything is sent; a split that
// replaces one is confirmed first, since it revokes every share handed out.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { CONTRACT, type InputOf, type OutputOf } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { Button, TextField } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { ConfirmDialog } from '../key-detail/ConfirmDialog.js';
import { mismatch } from '../users/check.js';

type Input = InputOf<'SplitRecoveryKey'>;
type Delivery = Input['Custodians'][number]['Delivery'];
interface Row {
  Name: string;
  Delivery: Delivery;
  Passphrase: string;
  Again: string;
  AgeRecipient: string;
}

const DELIVERIES: Record<Delivery, string> = { passphrase: 'Passphrase-sealed file', age: 'age-sealed file', paper: 'Paper: words, QR code' };
const emptyRow = (n: number): Row => ({ Name: `custodian-${n}`, Delivery: 'paper', Passphrase: '', Again: '', AgeRecipient: '' });

function toInput(rows: Row[], threshold: number, scheme: 'strongroom' | 'ssss', outDir: string): Input {
  const Custodians = rows.map((r): Input['Custodians'][number] =>
    r.Delivery === 'passphrase' ? { Name: r.Name, Delivery: 'passphrase', Passphrase: r.Passphrase } : r.Delivery === 'age' ? { Name: r.Name, Delivery: 'age', AgeRecipient: r.AgeRecipient } : { Name: r.Name, Delivery: 'paper' },
  );
  return { Threshold: threshold, Custodians, ...(scheme === 'ssss' ? { Scheme: 'ssss' as const } : {}), OutDir: outDir };
}

export function SplitForm({ current, onSplit }: { current: OutputOf<'GetRecoveryStatus'>['Split']; onSplit: () => void }) {
  const [rows, setRows] = useState<Row[]>([emptyRow(1), emptyRow(2), emptyRow(3)]);
  const [threshold, setThreshold] = useState(2);
  const [scheme, setScheme] = useState<'strongroom' | 'ssss'>('strongroom');
  const [outDir, setOutDir] = useState('');
  const [problem, setProblem] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const split = useMutation({ mutationFn: (input: Input) => run('SplitRecoveryKey', input), onSuccess: () => (setConfirming(false), onSplit()) });
  const choose = useMutation({
    mutationFn: () => run('ChooseFiles', { Purpose: 'open', Directory: true, Title: 'Folder for the share files' }),
    onSuccess: ({ Paths }) => Paths[0] !== undefined && setOutDir(Paths[0]),
  });
  const set = (i: number, change: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    const again = rows.find((r) => r.Delivery === 'passphrase' && mismatch(r.Passphrase, r.Again));
    if (again) return setProblem(`${again.Name}: the two passphrases differ.`);
    const checked = CONTRACT.SplitRecoveryKey.input.safeParse(toInput(rows, threshold, scheme, outDir));
    if (!checked.success) return setProblem(checked.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
    if (current) setConfirming(true);
    else split.mutate(checked.data);
  };

  return (
    <form className="panel recovery-split" aria-labelledby="split-title" onSubmit={submit} noValidate>
      <h2 id="split-title">{current ? 'Split again' : 'Split the recovery key'}</h2>
      <p className="hint">
        Each custodian keeps one share; any {threshold} of them together can open this vault on another machine, and fewer learn nothing. Custodians should be
        present: each types their own passphrase, or brings their age recipient.
      </p>
      <fieldset className="choices">
        <legend>Share form</legend>
        <label>
          <input type="radio" name="scheme" checked={scheme === 'strongroom'} onChange={() => setScheme('strongroom')} /> Strongroom shares: each carries a checksum,
          so a mistyped or foreign share is named
        </label>
        <label>
          <input type="radio" name="scheme" checked={scheme === 'ssss'} onChange={() => (setScheme('ssss'), setRows(rows.map((r) => ({ ...r, Delivery: 'paper' }))))} /> ssss
          lines: recoverable without Strongroom by Debian’s ssss-combine (printed only)
        </label>
      </fieldset>
      <table aria-label="Custodians">
        <thead>
          <tr>
            <th scope="col">Custodian</th>
            <th scope="col">Delivery</th>
            <th scope="col">Passphrase or recipient</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>
                <input aria-label={`Custodian ${i + 1} name`} value={r.Name} onChange={(e) => set(i, { Name: e.target.value })} />
              </td>
              <td>
                <select aria-label={`Custodian ${i + 1} delivery`} value={r.Delivery} onChange={(e) => set(i, { Delivery: e.target.value as Delivery })} disabled={scheme === 'ssss'}>
                  {(Object.keys(DELIVERIES) as Delivery[]).map((d) => (
                    <option key={d} value={d}>
                      {DELIVERIES[d]}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                {r.Delivery === 'passphrase' ? (
                  <>
                    <input type="password" autoComplete="new-password" aria-label={`Custodian ${i + 1} passphrase`} value={r.Passphrase} onChange={(e) => set(i, { Passphrase: e.target.value })} />
                    <input type="password" autoComplete="new-password" aria-label={`Custodian ${i + 1} passphrase again`} value={r.Again} onChange={(e) => set(i, { Again: e.target.value })} />
                  </>
                ) : r.Delivery === 'age' ? (
                  <input className="mono" aria-label={`Custodian ${i + 1} age recipient`} placeholder="age1…" value={r.AgeRecipient} onChange={(e) => set(i, { AgeRecipient: e.target.value })} />
                ) : (
                  <span className="hint">printed from the .paper.txt and .qr.svg files</span>
                )}
              </td>
              <td>
                <Button onClick={() => (setRows(rows.filter((_, j) => j !== i)), setThreshold(Math.min(threshold, Math.max(2, rows.length - 1))))} disabled={rows.length <= 2} aria-label={`Remove custodian ${i + 1}`}>
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <Button onClick={() => setRows([...rows, emptyRow(rows.length + 1)])} disabled={rows.length >= 16}>
          Add custodian
        </Button>
        <div className="field">
          <label htmlFor="split-threshold">Shares needed to recover</label>
          <select id="split-threshold" value={threshold} onChange={(e) => setThreshold(Number(e.target.value))}>
            {Array.from({ length: rows.length - 1 }, (_, k) => k + 2).map((m) => (
              <option key={m} value={m}>
                {m} of {rows.length}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="row">
        <TextField label="Folder for the share files" description="A relative path is in your home folder; existing share files are never overwritten." value={outDir} onChange={setOutDir} isRequired />
        <Button onClick={() => choose.mutate()} disabled={choose.isPending}>
          Choose…
        </Button>
      </div>
      <ErrorNote error={choose.error} />
      {problem && (
        <p role="alert" className="error">
          ValidationException: {problem}
        </p>
      )}
      <ErrorNote error={confirming ? undefined : split.error} />
      <Button type="submit" variant="primary" disabled={split.isPending}>
        {split.isPending ? 'Splitting… (sealing each share)' : 'Split and write the share files'}
      </Button>
      {split.data && (
        <div role="status" className="split-result">
          <p>
            Split <span className="mono">{split.data.SplitId}</span>: any {split.data.Threshold} of {split.data.Count} shares recover the vault. Give each custodian
            their files, then delete them from this folder.
          </p>
          <table aria-label="Share files">
            <thead>
              <tr>
                <th scope="col">Custodian</th>
                <th scope="col">Share</th>
                <th scope="col">Files</th>
              </tr>
            </thead>
            <tbody>
              {split.data.Shares.map((s) => (
                <tr key={s.Index}>
                  <td>{s.Custodian}</td>
                  <td>
                    {s.Index} of {split.data.Count}
                  </td>
                  <td className="mono">{s.Files.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title="Replace the current split?"
        confirmLabel="Split again"
        variant="danger"
        pending={split.isPending}
        error={split.error}
        onCancel={() => (setConfirming(false), split.reset())}
        onConfirm={() => split.mutate(CONTRACT.SplitRecoveryKey.input.parse(toInput(rows, threshold, scheme, outDir)))}
      >
        <p>Every share of split {current?.SplitId} stops working at once: only the new shares will recover the vault.</p>
      </ConfirmDialog>
    </form>
  );
}
