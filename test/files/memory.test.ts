// Constant memory: a 1 GiB stream, generated on the fly, is encrypted and
// (through a pipe, at the same time) decrypted in a child process running
// the built code, with a real vault. The child resets the kernel's peak-RSS
// mark (/proc/self/clear_refs) once the vault is open and reports how far
// the peak rose above that baseline during the 1 GiB; a 16 MiB run gives
// the same figure, within the noise of the garbage collector.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../cli/binary.js';

const MiB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'strongroom-files-mem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => ensureBuilt(), 180_000);

const CHILD = `
import { readFileSync, writeFileSync } from 'node:fs';
import { PassThrough, Readable, Writable } from 'node:stream';
const dist = process.argv[2];
const vaultDir = process.argv[3];
const total = Number(process.argv[4]);
const { initVault, openVault } = await import(dist + '/main/vault/vault.js');
const { encryptFile } = await import(dist + '/main/files/encrypt-file.js');
const { decryptFile } = await import(dist + '/main/files/decrypt-file.js');
const passphrase = 'memory test passphrase';
const service = { argon2: { m: 1024, t: 1, p: 1 } };
await initVault(vaultDir, { custody: { kind: 'passphrase', passphrase }, adminPassphrase: passphrase, service });
const vault = await openVault(vaultDir, { vaultPassphrase: async () => passphrase, service });
const caller = await vault.service.signIn({ userName: 'admin', passphrase, region: 'local-1', source: 'sdk' });
const { KeyMetadata } = await vault.service.call(caller, 'CreateKey', {});

const status = (field) => Number(new RegExp(field + ':\\\\s+(\\\\d+)').exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
// settle what setup left (Argon2id's wasm memory, the SQLite cache), then take the baseline
for (let i = 0; i < 3; i++) {
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 100));
}
writeFileSync('/proc/self/clear_refs', '5'); // peak RSS := current RSS
const base = status('VmHWM');

const chunk = Buffer.alloc(1024 * 1024);
for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((i * 2654435761) >>> 0, i);
let made = 0;
const input = new Readable({
  read() {
    if (made >= total) return void this.push(null);
    const n = Math.min(chunk.length, total - made);
    made += n;
    this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
  },
});
const pipe = new PassThrough({ highWaterMark: 1024 * 1024 });
let out = 0;
const sink = new Writable({ highWaterMark: 1024 * 1024, write(c, _e, cb) { out += c.length; cb(); } });
const t0 = performance.now();
const [enc, dec] = await Promise.all([
  encryptFile(vault.service, caller, { KeyId: KeyMetadata.KeyId, Input: input, Output: pipe }).finally(() => pipe.end()),
  decryptFile(vault.service, caller, { Input: pipe, Output: sink }),
]);
const ms = performance.now() - t0;
const peak = status('VmHWM');
await vault.close();
process.stdout.write(JSON.stringify({ base, peak, growth: peak - base, out, bytesRead: enc.BytesRead, decrypted: dec.BytesWritten, ms }));
`;

function runChild(total: number): { base: number; peak: number; growth: number; out: number; bytesRead: number; decrypted: number; ms: number } {
  const script = join(dir, 'child.mjs');
  writeFileSync(script, CHILD);
  const vaultDir = mkdtempSync(join(dir, 'vault-'));
  const r = spawnSync(process.execPath, ['--expose-gc', script, pathToFileURL(join(ROOT, 'dist')).href, vaultDir, String(total)], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`child exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// Linux only (/proc/self/status and clear_refs), like the test machines (README): elsewhere this fails, it does not skip.
describe('constant memory', () => {
  it('a 1 GiB stream encrypts and decrypts with the same peak memory as 16 MiB, under 64 MiB above baseline', () => {
    const small = runChild(16 * MiB);
    expect(small.decrypted).toBe(16 * MiB);
    const big = runChild(1024 * MiB);
    expect(big.bytesRead).toBe(1024 * MiB);
    expect(big.decrypted).toBe(1024 * MiB);
    expect(big.out).toBe(1024 * MiB);
    const mib = (n: number) => (n / MiB).toFixed(1);
    const detail = `1 GiB: +${mib(big.growth)} MiB over ${mib(big.base)} MiB in ${big.ms.toFixed(0)} ms; 16 MiB: +${mib(small.growth)} MiB`;
    expect(big.growth, detail).toBeLessThan(64 * MiB);
    // constant: 64× the data, not more than the GC's slack more memory
    expect(big.growth - small.growth, detail).toBeLessThan(32 * MiB);
  }, 180_000);
});
