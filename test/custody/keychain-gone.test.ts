// The Secret Service going away while Strongroom runs (custody/keychain.ts).
// @napi-rs/keyring binds an entry to the store it finds when the entry is
// opened, and Strongroom keeps its entries open for the life of the process
// (issue 14: opening one costs a D-Bus connection). So once the service is
// gone an entry opened before must fail its writes and find nothing on reads,
// and no entry may be opened for writing without asking the service first.
// Against a real gnome-keyring on a bus of the test's own that starts no
// service on demand (else D-Bus would start a new daemon at once), from a
// child process, since this one keeps its connection to the shared service.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureBuilt } from '../cli/binary.js';
import { startPrivateSecretService, type PrivateSecretService } from '../support/private-secret-service.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const KEYCHAIN = pathToFileURL(join(REPO, 'dist/main/custody/keychain.js')).href;

let ss: PrivateSecretService;
beforeAll(async () => {
  ensureBuilt();
  ss = await startPrivateSecretService({ activation: false });
}, 180_000);
afterAll(async () => {
  await ss?.stop();
});

interface Outcome {
  value?: string | null;
  error?: { name: string; message: string };
}

// The child stops the daemon itself, between the calls, once told its pid.
const CHILD = `
  import { findKeychainSecret, storeKeychainSecret } from ${JSON.stringify(KEYCHAIN)};
  const id = ${JSON.stringify(randomUUID())};
  const at = (name) => ({ service: 'Strongroom', account: 'keychain-gone:' + id + ':' + name });
  const attempt = async (f) => {
    try {
      const v = await f();
      return { value: v === undefined ? null : Buffer.isBuffer(v) ? v.toString() : String(v) };
    } catch (e) {
      return { error: { name: e?.name, message: String(e?.message) } };
    }
  };
  const out = {};
  out.writeBefore = await attempt(() => storeKeychainSecret(at('written'), Buffer.from('one')));
  out.readBefore = await attempt(() => findKeychainSecret(at('written')));
  out.missingBefore = await attempt(() => findKeychainSecret(at('never-written'))); // opened to read, found nothing
  process.stdout.write('stop\\n');
  await new Promise((r) => process.stdin.once('data', r));
  out.writeOpened = await attempt(() => storeKeychainSecret(at('written'), Buffer.from('two')));
  out.readOpened = await attempt(() => findKeychainSecret(at('written')));
  out.writeOpenedToRead = await attempt(() => storeKeychainSecret(at('never-written'), Buffer.from('three')));
  out.writeNew = await attempt(() => storeKeychainSecret(at('new'), Buffer.from('four')));
  process.stdout.write(JSON.stringify(out) + '\\n');
`;

test('a Secret Service gone away: writes fail as unreachable, and reads find nothing', async () => {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: ss.address },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const closed = new Promise<number | null>((done) => child.on('close', done));
  await new Promise<void>((ready, fail) => {
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      if (stdout.startsWith('stop\n')) ready();
    });
    void closed.then((code) => fail(new Error(`child exited ${code} early: ${stderr}`)));
  });
  await ss.stopDaemon();
  child.stdin.end('go\n');
  expect(await closed, stderr).toBe(0);
  const out = JSON.parse(stdout.slice('stop\n'.length)) as Record<string, Outcome>;

  expect(out['writeBefore']).toEqual({ value: null });
  expect(out['readBefore']).toEqual({ value: 'one' });
  expect(out['missingBefore']).toEqual({ value: null });
  // An entry opened while the service answered does not fall back: its write fails, its read finds nothing.
  expect(out['readOpened']).toEqual({ value: null });
  for (const write of ['writeOpened', 'writeOpenedToRead', 'writeNew']) {
    expect(out[write]?.error, write).toMatchObject({ name: 'KMSInvalidStateException', message: expect.stringMatching(/^The OS keychain is not reachable \(/) });
    expect(out[write]?.error?.message, write).toContain('strongroom init --passphrase-only');
  }
});
