// File encryption and decryption (EncryptFile, DecryptFile): files chosen
// with the desktop's file dialog (ChooseFiles) or dropped on the page (the
// preload's pathForFile turns a dropped File into its path: the sandboxed
// page cannot), written into an output folder (OutDir: encrypting adds .sr
// to each name, decrypting removes it; main/api/operations/app.ts) or, for
// one file, to the file chosen with the save dialog (Out). A job
// shows its progress and speed, and Cancel stops it: the file it was
// writing is removed.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { BridgeError, RunningJob } from '../../../../main/api/bridge.js';
import type { OutputOf } from '../../../../main/api/index.js';
import { bridge, BridgeFailure, run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { contextOf, formatBytes } from './bytes.js';
import { checked } from './check.js';
import { ContextRows, type Row } from './ContextRows.js';
import { KeyField } from './fields.js';

type Mode = 'encrypt' | 'decrypt';
type Done = OutputOf<'EncryptFile'>['Files'] | OutputOf<'DecryptFile'>['Files'];

interface Running {
  readonly job: RunningJob<unknown>;
  readonly startedAt: number;
  fileIndex: number;
  fileCount: number;
  inPath?: string | undefined;
  /** the last BytesDone of each file */
  readonly done: Map<number, number>;
  bytesTotal?: number | undefined;
}

export function FilePanel() {
  const [mode, setMode] = useState<Mode>('encrypt');
  const [inputs, setInputs] = useState<string[]>([]);
  const [outDir, setOutDir] = useState('');
  /** the one output file (Out), chosen with the save dialog; else the outputs go into outDir */
  const [outFile, setOutFile] = useState<string>();
  const [keyId, setKeyId] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [running, setRunning] = useState<Running>();
  const [, redraw] = useState(0);
  const [result, setResult] = useState<Done>();
  const [error, setError] = useState<unknown>();
  const [dragging, setDragging] = useState(false);
  const current = useRef<Running | undefined>(undefined);
  // leaving the screen stops a job that would otherwise run unseen
  useEffect(() => () => current.current?.job.cancel(), []);

  const fail = (e: BridgeError | unknown) => setError(e instanceof Error ? e : new BridgeFailure(e as BridgeError));
  const add = (paths: string[]) => setInputs((old) => [...old, ...paths.filter((p) => !old.includes(p))]);

  const choose = async (what: 'inputs' | 'outDir' | 'outFile') => {
    setError(undefined);
    try {
      const { Paths } =
        what === 'inputs'
          ? await run('ChooseFiles', { Purpose: 'open', Multiple: true, Title: mode === 'encrypt' ? 'Files to encrypt' : 'Files to decrypt' })
          : what === 'outDir'
            ? await run('ChooseFiles', { Purpose: 'open', Directory: true, Title: 'Output folder' })
            : await run('ChooseFiles', { Purpose: 'save', Title: mode === 'encrypt' ? 'Save the encrypted file as' : 'Save the decrypted file as', DefaultPath: suggestedName(inputs[0]!, mode) });
      if (what === 'inputs') add(Paths);
      else if (what === 'outDir' && Paths[0]) setOutDir(Paths[0]);
      else if (Paths[0]) setOutFile(Paths[0]);
    } catch (e) {
      fail(e);
    }
  };

  const drop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files];
    const paths = files.map((f) => bridge().pathForFile(f));
    const missing = files.filter((_, i) => !paths[i]).map((f) => f.name);
    add(paths.filter((p) => p));
    setError(missing.length ? new BridgeFailure({ name: 'ValidationException', message: `${missing.join(', ')}: not a file on disk; drop files from your file manager.` }) : undefined);
  };

  const start = () => {
    setError(undefined);
    setResult(undefined);
    try {
      const c = contextOf(rows);
      if (typeof c === 'string') throw new BridgeFailure({ name: 'ValidationException', message: c });
      const context = Object.keys(c).length ? { EncryptionContext: c } : {};
      const key = keyId.trim() ? { KeyId: keyId.trim() } : {};
      const target = outFile !== undefined && inputs.length === 1 ? { Out: outFile } : { OutDir: outDir };
      const state: Running = { job: undefined as never /* set just below */, startedAt: performance.now(), fileIndex: 0, fileCount: inputs.length, done: new Map() };
      const onProgress = (p: { FileIndex: number; FileCount: number; InPath?: string | undefined; BytesDone: number; BytesTotal?: number | undefined }) => {
        state.fileIndex = p.FileIndex;
        state.fileCount = p.FileCount;
        state.inPath = p.InPath;
        state.bytesTotal = p.BytesTotal;
        state.done.set(p.FileIndex, p.BytesDone);
        redraw((n) => n + 1);
      };
      const job =
        mode === 'encrypt'
          ? bridge().startFileJob('EncryptFile', checked('EncryptFile', { In: inputs, ...target, KeyId: keyId.trim(), ...context }), onProgress)
          : bridge().startFileJob('DecryptFile', checked('DecryptFile', { In: inputs, ...target, ...key, ...context }), onProgress);
      // the progress listener updates this same object
      Object.assign(state, { job });
      current.current = state;
      setRunning(state);
      void job.result.then((r) => {
        current.current = undefined;
        setRunning(undefined);
        if (r.ok) setResult((r.value as { Files: Done }).Files);
        else fail(r.error);
      });
    } catch (e) {
      fail(e);
    }
  };

  const bytesDone = running ? [...running.done.values()].reduce((a, b) => a + b, 0) : 0;
  const seconds = running ? (performance.now() - running.startedAt) / 1000 : 0;
  const speed = seconds > 0 ? bytesDone / seconds : 0;
  const fileDone = running?.done.get(running.fileIndex) ?? 0;

  return (
    <form className="panel" aria-labelledby="files-title" onSubmit={(e) => (e.preventDefault(), start())}>
      <h3 id="files-title">Encrypt or decrypt files</h3>
      <fieldset className="choices inline">
        <legend>Operation</legend>
        <label>
          <input type="radio" name="file-mode" checked={mode === 'encrypt'} onChange={() => setMode('encrypt')} disabled={!!running} />
          <span>Encrypt files</span>
        </label>
        <label>
          <input type="radio" name="file-mode" checked={mode === 'decrypt'} onChange={() => setMode('decrypt')} disabled={!!running} />
          <span>Decrypt files</span>
        </label>
      </fieldset>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        role="group"
        aria-labelledby="files-chosen-title"
        onDragOver={(e) => (e.preventDefault(), setDragging(true))}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
        data-testid="drop-zone"
      >
        <span id="files-chosen-title">
          <strong>Input files</strong> — drop files here, or
        </span>{' '}
        <Button onClick={() => void choose('inputs')} disabled={!!running}>
          Choose files…
        </Button>
        {inputs.length === 0 ? (
          <p className="hint">No files chosen.</p>
        ) : (
          <ul className="paths" aria-label="Input files">
            {inputs.map((p) => (
              <li key={p}>
                <span className="mono">{p}</span> <Button onClick={() => setInputs(inputs.filter((q) => q !== p))} disabled={!!running} aria-label={`Remove ${p}`}>Remove</Button>
              </li>
            ))}
          </ul>
        )}
      </div>
      {outFile !== undefined && inputs.length === 1 ? (
        <div className="field">
          <span id="out-file-label">Output file</span>
          <span className="actions">
            <output aria-labelledby="out-file-label" className="mono">
              {outFile}
            </output>
            <Button onClick={() => setOutFile(undefined)} disabled={!!running}>
              Use an output folder instead
            </Button>
          </span>
        </div>
      ) : (
        <div className="field">
          <label htmlFor="out-dir">Output folder</label>
          <span className="actions">
            <input id="out-dir" className="mono grow" value={outDir} onChange={(e) => setOutDir(e.target.value)} aria-describedby="out-dir-hint" autoComplete="off" />
            <Button onClick={() => void choose('outDir')} disabled={!!running}>
              Choose folder…
            </Button>
            {inputs.length === 1 && (
              <Button onClick={() => void choose('outFile')} disabled={!!running}>
                Save as…
              </Button>
            )}
          </span>
          <span id="out-dir-hint" className="hint">
            {mode === 'encrypt' ? 'Each file is written here with .sr added to its name.' : 'Each file is written here with its .sr removed.'} Created if missing.
            {inputs.length === 1 ? ' Save as… chooses the one output file instead.' : ''}
          </span>
        </div>
      )}
      <KeyField value={keyId} onChange={setKeyId} optional={mode === 'decrypt'} />
      <ContextRows label="File encryption context" rows={rows} onChange={setRows} />
      <span className="actions">
        <Button type="submit" variant="primary" disabled={!!running}>
          {mode === 'encrypt' ? 'Encrypt files' : 'Decrypt files'}
        </Button>
        {running && (
          <Button variant="danger" onClick={() => running.job.cancel()}>
            Cancel
          </Button>
        )}
      </span>
      {running && (
        <div className="job" aria-live="polite">
          <label htmlFor="file-progress">
            File {running.fileIndex + 1} of {running.fileCount}
            {running.inPath ? `: ${running.inPath}` : ''}
          </label>
          <progress id="file-progress" max={running.bytesTotal ?? undefined} value={running.bytesTotal === undefined ? undefined : fileDone} />
          <p className="hint" data-testid="job-status">
            {running.done.size === 0
              ? 'Starting…'
              : `${formatBytes(fileDone)}${running.bytesTotal !== undefined ? ` of ${formatBytes(running.bytesTotal)}` : ''} · ${formatBytes(Math.round(speed))}/s`}
          </p>
        </div>
      )}
      <ErrorNote error={error} />
      {result && (
        <div role="status">
          <p>
            {mode === 'encrypt' ? 'Encrypted' : 'Decrypted'} {result.length} file{result.length === 1 ? '' : 's'}:
          </p>
          <ul className="paths">
            {result.map((f) => (
              <li key={f.OutPath}>
                <span className="mono">{f.OutPath}</span> ({formatBytes(f.BytesWritten)})
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}

/** The name the save dialog proposes: the input's name with .sr added (encrypt) or removed (decrypt), as OutDir names it. */
function suggestedName(input: string, mode: Mode): string {
  const name = input.split(/[\\/]/).pop() ?? input;
  if (mode === 'encrypt') return `${name}.sr`;
  return name.endsWith('.sr') && name !== '.sr' ? name.slice(0, -3) : name;
}
