// The SavePublicKey app operation (main/api/operations/app.ts): ExportPublicKey
// run as the signed-in user (so it is authorized and audited as
// kms:GetPublicKey), its text written to a file through a temporary file that
// is renamed into place, so a partner never receives half a key. `der` is
// written as binary DER (what `openssl pkey -pubin -inform DER` reads), not
// as ExportPublicKey's base64 text; every text form ends with a newline.
import type { InputOf, OutputOf } from '../api/index.js';
import type { Caller } from '../core/service/caller.js';
import type { Service } from '../core/service/service.js';
import { checkPaths, openOutput } from '../files/outputs.js';

export async function savePublicKey(service: Pick<Service, 'call'>, caller: Caller, input: InputOf<'SavePublicKey'>, path: string): Promise<OutputOf<'SavePublicKey'>> {
  // the destination is checked (and its temporary file made) before the key is read: a bad path costs no audited call
  const output = await openOutput({ path }, await checkPaths(undefined, path));
  try {
    const key = await service.call(caller, 'ExportPublicKey', { KeyId: input.KeyId, Format: input.Format });
    const bytes = input.Format === 'der' ? Buffer.from(key.PublicKey, 'base64') : Buffer.from(key.PublicKey.endsWith('\n') ? key.PublicKey : `${key.PublicKey}\n`, 'utf8');
    await output.sink.write([bytes], bytes.length);
    await output.sink.flush();
    await output.commit();
    return { KeyId: key.KeyId, Format: key.Format, OutPath: path, Bytes: bytes.length, Fingerprint: key.Fingerprint, FingerprintType: key.FingerprintType };
  } finally {
    await output.discard(); // a no-op once committed; otherwise nothing half-written is left
  }
}
