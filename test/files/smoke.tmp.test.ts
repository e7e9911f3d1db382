import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { it, expect } from 'vitest';
import { makeVault } from '../support/vault.js';
import { encryptFile } from '../../main/files/encrypt-file.js';
import { decryptFile } from '../../main/files/decrypt-file.js';
it('smoke', async () => {
  const t = await makeVault();
  const { KeyMetadata } = await t.call('CreateKey', {});
  const dir = await mkdtemp(join(tmpdir(), 'sr-files-'));
  for (const n of [0, 1, 65536, 65537, 3 * 65536]) {
    const data = randomBytes(n);
    await writeFile(join(dir, 'p'), data);
    const r = await encryptFile(t.vault.service, t.admin, { KeyId: KeyMetadata.KeyId, InPath: join(dir, 'p'), OutPath: join(dir, 'c'), SegmentSize: 65536 });
    const d = await decryptFile(t.vault.service, t.admin, { InPath: join(dir, 'c'), OutPath: join(dir, 'q') });
    expect((await readFile(join(dir, 'q'))).equals(data)).toBe(true);
    console.log(n, r, d);
  }
  await t.close();
});
