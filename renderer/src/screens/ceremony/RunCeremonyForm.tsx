// Runs a ceremony script (RunCeremony, docs/ceremonies.md) as the signed-in
// operator: the script from a file (chosen in the desktop's dialog, or
// typed) or pasted, the output folder, the transcript and an optional
// printable report, and the witnesses' passphrases, each typed by the
// witness. The passphrases go with the one call and the form forgets them
// as it sends them. The steps show live as the progress events arrive
// (the script is read only in main, so a step appears when it begins),
// then the result: complete or incomplete, each step, the files, and the
// hash the audit trail's SignCeremonyTranscript record holds.
import { useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../../main/api/index.js';
import { bridge, BridgeFailure } from '../../bridge.js';
import { Button, TextField } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { PathField } from '../../ui/PathField.js';
import { inFolder, liveLine, runInput, withProgress, withResult, type RunForm, type StepView, type WitnessRow } from './ceremony-run.js';
import { CeremonySteps } from './CeremonySteps.js';

type Paths = Omit<RunForm, 'witnesses'>;
const emptyWitness = (): WitnessRow => ({ UserName: '', Passphrase: '' });

export function RunCeremonyForm({ onVerify }: { onVerify: (transcriptPath: string) => void }) {
  const [form, setForm] = useState<Paths>({ source: 'file', scriptPath: '', scriptText: '', outDir: '', transcriptPath: '', reportPath: '' });
  const [witnesses, setWitnesses] = useState<WitnessRow[]>([emptyWitness()]);
  const [steps, setSteps] = useState<StepView[]>([]);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<OutputOf<'RunCeremony'>>();
  const [error, setError] = useState<unknown>();
  const set = (change: Partial<Paths>) => setForm((f) => ({ ...f, ...change }));
  const setWitness = (i: number, change: Partial<WitnessRow>) => setWitnesses((ws) => ws.map((w, j) => (j === i ? { ...w, ...change } : w)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setResult(undefined);
    const input = runInput({ ...form, witnesses });
    if (typeof input === 'string') return setError(new BridgeFailure({ name: 'ValidationException', message: input }));
    // the passphrases go with this call only: the form forgets them now
    setWitnesses((ws) => ws.map((w) => ({ ...w, Passphrase: '' })));
    setSteps([]);
    setRunning(true);
    void bridge()
      .runCeremony(input, (p) => setSteps((old) => withProgress(old, p)))
      .then((r) => {
        setRunning(false);
        if (!r.ok) return setError(new BridgeFailure(r.error));
        setResult(r.value);
        setSteps((old) => withResult(old, r.value));
      });
  };

  return (
    <form className="panel ceremony-run" aria-labelledby="run-title" onSubmit={submit} noValidate>
      <h2 id="run-title">Run a ceremony</h2>
      <p className="hint">
        Sign in as the operator the script names to run it. Each step runs through the same operations as anywhere else, authorized and audited. A failed
        step stops the ceremony; the transcript is signed all the same, marked incomplete.
      </p>
      <fieldset className="choices inline">
        <legend>Script</legend>
        <label>
          <input type="radio" name="script-source" checked={form.source === 'file'} onChange={() => set({ source: 'file' })} disabled={running} />
          <span>A script file</span>
        </label>
        <label>
          <input type="radio" name="script-source" checked={form.source === 'text'} onChange={() => set({ source: 'text' })} disabled={running} />
          <span>Paste the script</span>
        </label>
      </fieldset>
      {form.source === 'file' ? (
        <PathField
          label="Script file"
          value={form.scriptPath}
          onChange={(scriptPath) => set({ scriptPath })}
          dialog={{ kind: 'file', title: 'Ceremony script' }}
          description="JSON or YAML (docs/ceremonies.md). Passphrase files it names are read from its folder; a relative path is in your home folder."
          isDisabled={running}
        />
      ) : (
        <div className="field">
          <label htmlFor="ceremony-script">Script (JSON or YAML)</label>
          <textarea id="ceremony-script" className="mono" rows={12} spellCheck={false} value={form.scriptText} onChange={(e) => set({ scriptText: e.target.value })} aria-describedby="ceremony-script-hint" disabled={running} />
          <span id="ceremony-script-hint" className="hint">
            Passphrase files it names are read from the output folder.
          </span>
        </div>
      )}
      <PathField
        label="Output folder"
        value={form.outDir}
        onChange={(outDir) => set({ outDir })}
        dialog={{ kind: 'folder', title: 'Output folder of the ceremony' }}
        description="The steps write their files here; created if missing."
        isDisabled={running}
      />
      <PathField
        label="Transcript"
        value={form.transcriptPath}
        onChange={(transcriptPath) => set({ transcriptPath })}
        dialog={{ kind: 'save', title: 'Save the transcript as', defaultPath: inFolder(form.outDir, 'transcript.json') }}
        description="The signed transcript (JSON). Put it in the output folder, so the files verify beside it."
        isDisabled={running}
      />
      <PathField
        label="Report (optional)"
        value={form.reportPath}
        onChange={(reportPath) => set({ reportPath })}
        dialog={{ kind: 'save', title: 'Save the printable report as', defaultPath: inFolder(form.outDir, 'transcript.html') }}
        description="The transcript to print: .html for HTML, plain text otherwise."
        isDisabled={running}
      />
      <fieldset className="rows">
        <legend>Witnesses</legend>
        <p className="hint">
          Each witness the script names types their own passphrase; it goes with this run only. A witness who gave none, or a wrong one, stops the ceremony at
          the first step they confirm.
        </p>
        {witnesses.map((w, i) => (
          <div className="row" key={i}>
            <TextField label={`Witness ${i + 1} user name`} value={w.UserName} onChange={(UserName) => setWitness(i, { UserName })} isDisabled={running} />
            <TextField label={`Witness ${i + 1} passphrase`} type="password" value={w.Passphrase} onChange={(Passphrase) => setWitness(i, { Passphrase })} isDisabled={running} />
            <Button onClick={() => setWitnesses(witnesses.filter((_, j) => j !== i))} disabled={running} aria-label={`Remove witness ${i + 1}`}>
              Remove
            </Button>
          </div>
        ))}
        <Button onClick={() => setWitnesses([...witnesses, emptyWitness()])} disabled={running || witnesses.length >= 16}>
          Add witness
        </Button>
      </fieldset>
      <Button type="submit" variant="primary" disabled={running}>
        {running ? 'Running the ceremony…' : 'Run the ceremony'}
      </Button>
      <ErrorNote error={error} />
      {running && (
        <p role="status" className="notice" data-testid="ceremony-live">
          {liveLine(steps)}
        </p>
      )}
      <CeremonySteps steps={steps} />
      {result && <CeremonyResult result={result} onVerify={onVerify} />}
    </form>
  );
}

function CeremonyResult({ result, onVerify }: { result: OutputOf<'RunCeremony'>; onVerify: (transcriptPath: string) => void }) {
  const complete = result.Status === 'complete';
  const failed = result.Steps.find((s) => s.Status === 'failed');
  return (
    <div className={`verification ${complete ? 'valid' : 'invalid'} ceremony-result`} role="status" aria-label="Ceremony result">
      <p>
        <strong>
          {result.Ceremony}: {result.Status}
        </strong>
        {failed ? ` — step '${failed.Id}' failed, and the steps after it did not run.` : ` — all ${result.Steps.length} steps done.`}
      </p>
      <dl className="facts">
        <dt>Transcript</dt>
        <dd className="mono">{result.TranscriptPath}</dd>
        {result.ReportPath !== undefined && (
          <>
            <dt>Report</dt>
            <dd className="mono">{result.ReportPath}</dd>
          </>
        )}
        <dt>Index SHA-256</dt>
        <dd className="mono" data-testid="index-sha256">
          {result.IndexSha256}
        </dd>
      </dl>
      <p className="hint">Signed with the tenant’s audit key; the SignCeremonyTranscript record in the audit trail holds the same hash.</p>
      <Button onClick={() => onVerify(result.TranscriptPath)}>Verify this transcript</Button>
    </div>
  );
}
