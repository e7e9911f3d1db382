// Generate a data key (GenerateDataKey): the encrypted copy to store beside
// the data, and the plaintext key to use at once — hidden until asked for,
// copied only through the app's clipboard, forgotten when the screen goes.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { contextOf, toBase64 } from './bytes.js';
import { checked, invalid } from './check.js';
import { ContextRows, type Row } from './ContextRows.js';
import { CopyButton, KeyField, Output } from './fields.js';

export function DataKeyPanel() {
  const [keyId, setKeyId] = useState('');
  const [spec, setSpec] = useState<'AES_256' | 'AES_128'>('AES_256');
  const [rows, setRows] = useState<Row[]>([]);
  const [shown, setShown] = useState(false);
  const generate = useMutation({
    mutationFn: async () => {
      const c = contextOf(rows);
      if (typeof c === 'string') invalid(c);
      const out = await run('GenerateDataKey', checked('GenerateDataKey', { KeyId: keyId, KeySpec: spec, ...(Object.keys(c).length ? { EncryptionContext: c } : {}) }));
      setShown(false);
      return { KeyId: out.KeyId, ciphertext: toBase64(out.CiphertextBlob), plaintext: toBase64(out.Plaintext) };
    },
  });

  return (
    <form
      className="panel"
      aria-labelledby="data-key-title"
      onSubmit={(e) => {
        e.preventDefault();
        generate.mutate();
      }}
    >
      <h3 id="data-key-title">Generate a data key</h3>
      <KeyField value={keyId} onChange={setKeyId} />
      <div className="field">
        <label htmlFor="data-key-spec">Data key spec</label>
        <select id="data-key-spec" value={spec} onChange={(e) => setSpec(e.target.value as 'AES_256' | 'AES_128')}>
          <option value="AES_256">AES_256 (32 bytes)</option>
          <option value="AES_128">AES_128 (16 bytes)</option>
        </select>
      </div>
      <ContextRows label="Data key encryption context" rows={rows} onChange={setRows} />
      <Button type="submit" variant="primary" disabled={generate.isPending}>
        {generate.isPending ? 'Generating…' : 'Generate data key'}
      </Button>
      <ErrorNote error={generate.error} />
      {generate.data && (
        <>
          <Output label="Encrypted data key (base64)" value={generate.data.ciphertext} copyLabel="Copy encrypted data key" />
          <div className="field">
            <span id="plaintext-key-label">Plaintext data key (base64)</span>
            {shown ? (
              <output aria-labelledby="plaintext-key-label" className="mono secret">
                {generate.data.plaintext}
              </output>
            ) : (
              <p className="hint">Hidden. Show it only where no one can read over your shoulder.</p>
            )}
            <span className="actions">
              <Button onClick={() => setShown(!shown)} aria-pressed={shown}>
                {shown ? 'Hide plaintext' : 'Show plaintext'}
              </Button>
              <CopyButton text={generate.data.plaintext} label="Copy plaintext data key" />
            </span>
          </div>
        </>
      )}
    </form>
  );
}
