// A new split of the recovery key (SplitRecoveryKey): M of N custodians,
// each receiving their share as they choose — a file sealed to their own
// passphrase (typed here by them, twice), a file sealed to their age
// recipient, or words and a QR code to print — or, for custodians who want
// to recover without Strongroom, ssss lines. The app writes the files into
// the folder chosen in the desktop's dialog (or typed). The input is checked
// against the contract's own schema before anything is sent; a split that
// replaces one is confirmed first, since it revokes every share handed out.
// Approval rules may hold a split (approvals/ApprovalHeld.tsx): its request
// holds the plan, never a passphrase, so the approved request runs from this
// form again, opened from the inbox with the plan filled in (`approved`) or
// still holding what was typed; custodians type a passphrase the form lacks.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { CONTRACT, type InputOf, type OutputOf } from '../../../../main/api/index.js';
import type { SplitRecoveryPlan } from '../../../../main/api/operations/app.js';
import { run } from '../../bridge.js';
import { Button, TextField } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { ApprovalHeld, useApprovableCall } from '../approvals/ApprovalHeld.js';
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

/** An approved split request's plan, to run as approved. */
export interface ApprovedSplit {
  requestId: string;
  plan: z.output<typeof SplitRecoveryPlan>;
}
const rowsOf = (plan: ApprovedSplit['plan']): Row[] => plan.Custodians.map((c) => ({ Name: c.Name, Delivery: c.Delivery, Passphrase: '', Again: '', AgeRecipient: c.AgeRecipient ?? '' }));

function toInput(rows: Row[], threshold: number, scheme: 'strongroom' | 'ssss', outDir: string): Input {
  const Custodians = rows.map((r): Input['Custodians'][number] =>
    r.Delivery === 'passphrase' ? { Name: r.Name, Delivery: 'passphrase', Passphrase: r.Passphrase } : r.Delivery === 'age' ? { Name: r.Name, Delivery: 'age', AgeRecipient: r.AgeRecipient } : { Name: r.Name, Delivery: 'paper' },
  );
  return { Threshold: threshold, Custodians, ...(scheme === 'ssss' ? { Scheme: 'ssss' as const } : {}), OutDir: outDir };
}

export function SplitForm({ current, onSplit, approved }: { current: OutputOf<'GetRecoveryStatus'>['Split']; onSplit: () => void; approved?: ApprovedSplit }) {
  const [rows, setRows] = useState<Row[]>(() => (approved ? rowsOf(approved.plan) : [emptyRow(1), emptyRow(2), emptyRow(3)]));
  const [threshold, setThreshold] = useState(approved?.plan.Threshold ?? 2);
  const [scheme, setScheme] = useState<'strongroom' | 'ssss'>(approved?.plan.Scheme ?? 'strongroom');
  const [outDir, setOutDir] = useState(approved?.plan.OutDir ?? '');
  const [problem, setProblem] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const split = useApprovableCall('SplitRecoveryKey', {
    approved: approved?.requestId,
    onSuccess: () => (setConfirming(false), onSplit()),
    // held for approval: nothing was replaced yet, and the form says what happens next
    onHeld: () => setConfirming(false),
  });
  const choose = useMutation({
    mutationFn: () => run('ChooseFiles', { Purpose: 'open', Directory: true, Title: 'Folder for the share files' }),
    onSuccess: ({ Paths }) => Paths[0] !== undefined && setOutDir(Paths[0]),
  });
  const set = (i: number, change: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));

  /** The form's input, checked by the contract; undefined (and the problem said) when it does not pass. */
  const checked = (): Input | undefined => {
    setProblem(undefined);
    // (a request never holds a passphrase: an approved split's form asks for them again)
    const untypedRow = rows.find((r) => r.Delivery === 'passphrase' && r.Passphrase === '');
    if (untypedRow) return void setProblem(`${untypedRow.Name}: type the custodian’s passphrase, twice.`);
    const again = rows.find((r) => r.Delivery === 'passphrase' && mismatch(r.Passphrase, r.Again));
    if (again) return void setProblem(`${again.Name}: the two passphrases differ.`);
    const result = CONTRACT.SplitRecoveryKey.input.safeParse(toInput(rows, threshold, scheme, outDir));
    if (!result.success) return void setProblem(result.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
    return result.data;
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const input = checked();
    if (!input) return;
    if (current) setConfirming(true);
    else split.mutate(input);
  };
  // the approvers approved replacing the split: running it asks nothing more
  const runApproved = () => {
    const input = checked();
    if (input) split.runApproved(input);
  };
  const done = split.data;
  const untyped = rows.filter((r) => r.Delivery === 'passphrase' && r.Passphrase === '').map((r) => r.Name);

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
      <Button type="submit" variant="primary" disabled={split.pending}>
        {split.pending ? 'Splitting… (sealing each share)' : 'Split and write the share files'}
      </Button>
      {split.heldBy && !done && (
        <ApprovalHeld name="SplitRecoveryKey" requestId={split.heldBy} pending={split.pending} onRun={runApproved}>
          <p className="hint">
            Once approved, it runs exactly as planned above: the same custodians, deliveries, threshold and folder.
            {untyped.length > 0 && ` A request never holds a passphrase: ${untyped.join(', ')}, type yours (twice) above first.`}
          </p>
        </ApprovalHeld>
      )}
      {done && (
        <div role="status" className="split-result">
          <p>
            Split <span className="mono">{done.SplitId}</span>: any {done.Threshold} of {done.Count} shares recover the vault. Give each custodian
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
              {done.Shares.map((s) => (
                <tr key={s.Index}>
                  <td>{s.Custodian}</td>
                  <td>
                    {s.Index} of {done.Count}
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
        pending={split.pending}
        error={split.error}
        onCancel={() => (setConfirming(false), split.reset())}
        onConfirm={() => split.mutate(CONTRACT.SplitRecoveryKey.input.parse(toInput(rows, threshold, scheme, outDir)))}
      >
        <p>Every share of split {current?.SplitId} stops working at once: only the new shares will recover the vault.</p>
      </ConfirmDialog>
    </form>
  );
}
