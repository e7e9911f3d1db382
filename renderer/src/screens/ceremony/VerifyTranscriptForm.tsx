// Verifies a ceremony transcript offline (VerifyCeremonyTranscript): its
// signature — with the tenant's audit public key pasted (or this tenant's,
// one click away: GetAuditPublicKey), else the transcript's own key, which
// proves integrity but not origin — every step against the signed index,
// and the output files beside it. A problem names the step that changed.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { InputOf, OutputOf } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { PathField } from '../../ui/PathField.js';
import { checked } from '../workbench/check.js';

export function VerifyTranscriptForm({ transcriptPath, onTranscriptPath }: { transcriptPath: string; onTranscriptPath: (path: string) => void }) {
  const [publicKey, setPublicKey] = useState('');
  const [filesDir, setFilesDir] = useState('');
  const [problem, setProblem] = useState<unknown>();
  const verify = useMutation({ mutationFn: (input: InputOf<'VerifyCeremonyTranscript'>) => run('VerifyCeremonyTranscript', input) });
  const auditKey = useMutation({ mutationFn: () => run('GetAuditPublicKey', {}), onSuccess: ({ PublicKey }) => setPublicKey(PublicKey) });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    verify.reset();
    try {
      verify.mutate(
        checked('VerifyCeremonyTranscript', {
          TranscriptPath: transcriptPath.trim(),
          ...(publicKey.trim() ? { PublicKey: publicKey.trim() } : {}),
          ...(filesDir.trim() ? { FilesDir: filesDir.trim() } : {}),
        }),
      );
    } catch (error) {
      setProblem(error);
    }
  };

  return (
    <form className="panel ceremony-verify" aria-labelledby="verify-title" onSubmit={submit} noValidate>
      <h2 id="verify-title">Verify a transcript</h2>
      <p className="hint">Checks the signature, every step against the signed index, and the output files; no vault is needed, so any transcript can be checked here.</p>
      <PathField label="Transcript file" value={transcriptPath} onChange={onTranscriptPath} dialog={{ kind: 'file', title: 'Ceremony transcript' }} />
      <div className="field">
        <label htmlFor="trusted-key">Trusted audit public key (PEM, optional)</label>
        <textarea
          id="trusted-key"
          className="mono"
          rows={4}
          spellCheck={false}
          placeholder="-----BEGIN PUBLIC KEY-----"
          value={publicKey}
          onChange={(e) => setPublicKey(e.target.value)}
          aria-describedby="trusted-key-hint"
        />
        <span id="trusted-key-hint" className="hint">
          The tenant’s key from <span className="mono">strongroom audit get-audit-public-key</span>. Without it the transcript’s own key is used: that proves it
          was not changed, not who signed it.
        </span>
        <span className="actions">
          <Button onClick={() => auditKey.mutate()} disabled={auditKey.isPending}>
            Use this tenant’s audit key
          </Button>
        </span>
        <ErrorNote error={auditKey.error} />
      </div>
      <PathField
        label="Files folder (optional)"
        value={filesDir}
        onChange={setFilesDir}
        dialog={{ kind: 'folder', title: 'Folder of the ceremony’s files' }}
        description="Where the ceremony’s output files are; by default the transcript’s folder."
      />
      <Button type="submit" variant="primary" disabled={verify.isPending || !transcriptPath.trim()}>
        {verify.isPending ? 'Verifying…' : 'Verify the transcript'}
      </Button>
      <ErrorNote error={problem ?? verify.error} />
      {verify.data && <Verdict v={verify.data} />}
    </form>
  );
}

/** A problem's message as a sentence: the checker's start lower case ("step 'pub' was changed (inputs)"). */
const sentence = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** What the key that checked the signature proves: only a trusted key says who signed. */
function keySentence(v: OutputOf<'VerifyCeremonyTranscript'>): string {
  if (v.PublicKeySource === 'trusted') return v.Valid ? 'Signed with the trusted audit key: the transcript comes from that tenant.' : 'Checked with the trusted audit key.';
  return v.Valid
    ? 'Checked with the transcript’s own key: it was not changed since it was signed, but who signed it is not proven; give the tenant’s audit key to prove it.'
    : 'Checked with the transcript’s own key.';
}

function Verdict({ v }: { v: OutputOf<'VerifyCeremonyTranscript'> }) {
  return (
    <div className={`verification ${v.Valid ? 'valid' : 'invalid'}`} role="status" aria-label="Transcript verification">
      <p>
        <strong>{v.Valid ? 'Transcript valid' : 'Transcript NOT valid'}</strong>
        {v.Ceremony !== undefined && `: ${v.Ceremony}`}
        {v.Status !== undefined && ` (${v.Status})`}
        {v.Account !== undefined && `, account ${v.Account}`}. {count(v.Steps, 'step')}; {count(v.FilesChecked, 'file')} checked.
      </p>
      <p className="hint">{keySentence(v)}</p>
      {v.FilesMissing.length > 0 && (
        <p>
          Not found beside it, so not checked: <span className="mono">{v.FilesMissing.join(', ')}</span>
        </p>
      )}
      {v.Problems.length > 0 && (
        <ul aria-label="Problems">
          {v.Problems.map((p, i) => (
            <li key={i}>{sentence(p.Message)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
