// Generate and verify a MAC over a text message (GenerateMac, VerifyMac)
// with an HMAC key; the MAC is base64.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { MacAlgorithm } from '../../../../main/api/enums.js';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { fromBase64, toBase64, utf8 } from './bytes.js';
import { checked, invalid } from './check.js';
import { KeyField } from './fields.js';
import { useKeyMetadata } from './KeyAlgorithms.js';

export function MacPanel() {
  const [keyId, setKeyId] = useState('');
  const [message, setMessage] = useState('');
  const [mac, setMac] = useState('');
  const key = useKeyMetadata(keyId);
  const algorithm: MacAlgorithm | undefined = key.data?.KeyMetadata.MacAlgorithms?.[0];
  const need = () => algorithm ?? invalid('Choose a key with key usage GENERATE_VERIFY_MAC (an HMAC key).');

  const generate = useMutation({
    mutationFn: async () => {
      const out = await run('GenerateMac', checked('GenerateMac', { KeyId: keyId, Message: utf8(message), MacAlgorithm: need() }));
      setMac(toBase64(out.Mac));
      return out;
    },
  });
  const verify = useMutation({
    mutationFn: async () => {
      const bytes = fromBase64(mac);
      if (typeof bytes === 'string') invalid(`MAC: ${bytes}`);
      return run('VerifyMac', checked('VerifyMac', { KeyId: keyId, Message: utf8(message), Mac: bytes, MacAlgorithm: need() }));
    },
  });

  return (
    <form className="panel" aria-labelledby="mac-title" onSubmit={(e) => (e.preventDefault(), generate.mutate())}>
      <h3 id="mac-title">MACs</h3>
      <KeyField value={keyId} onChange={setKeyId} />
      {key.error ? <ErrorNote error={key.error} /> : null}
      <p className="hint">MAC algorithm: {algorithm ?? 'choose an HMAC key'}</p>
      <div className="field">
        <label htmlFor="mac-message">Message</label>
        <textarea id="mac-message" rows={3} value={message} onChange={(e) => (setMessage(e.target.value), verify.reset())} />
      </div>
      <span className="actions">
        <Button type="submit" variant="primary" disabled={generate.isPending}>
          Generate MAC
        </Button>
        <Button onClick={() => verify.mutate()} disabled={verify.isPending}>
          Verify MAC
        </Button>
      </span>
      <ErrorNote error={generate.error ?? verify.error} />
      <div className="field">
        <label htmlFor="mac">MAC (base64)</label>
        <textarea id="mac" rows={2} className="mono" value={mac} onChange={(e) => (setMac(e.target.value), verify.reset())} />
      </div>
      {verify.data && <p role="status">{verify.data.MacValid ? 'The MAC is valid.' : 'The MAC is not valid.'}</p>}
    </form>
  );
}
