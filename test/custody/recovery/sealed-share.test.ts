// Share files: sealed under the custodian's passphrase (Argon2id +
// AES-256-GCM), or to the custodian's age recipient — the latter checked
// against the real `age` binary both ways (Debian's `age` package: a test
// dependency, without it these fail).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ARGON2, deriveKey } from '../../../main/core/crypto/argon2.js';
import { seal } from '../../../main/core/crypto/aes-gcm.js';
import {
  openShareWithAgeIdentity,
  openShareWithPassphrase,
  parseShareText,
  peekSealedShare,
  sealShareToAgeRecipient,
  sealShareWithPassphrase,
  shareText,
} from '../../../main/custody/recovery/sealed-share.js';
import { combineRecoveryShares, splitRecoveryKey } from '../../../main/custody/recovery/shares.js';
import { failsWith } from './helpers.js';

const PASS = 'tulip orbit velvet cinder';
/** Cheap parameters where the test is not about the work factor (each default derivation is ~250 ms). */
const FAST = { m: 1024, t: 1, p: 1 };
const vaultId = randomUUID();
const key = Buffer.alloc(32, 0x5a);
const { shares, commitment } = await splitRecoveryKey(vaultId, key, 3, 5);
const record = shares[2]!; // share 3
const dir = mkdtempSync(join(tmpdir(), 'strongroom-shares-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The armored file's body lines (between BEGIN and END). */
function bodyOf(file: string): { head: string; body: string; tail: string } {
  const m = /^([\s\S]*?-----\n)([\s\S]*?)(\n-----END[\s\S]*)$/.exec(file)!;
  return { head: m[1]!, body: m[2]!, tail: m[3]! };
}

/** The file with byte `at` of its binary body flipped, re-armored. */
function flipBodyByte(file: string, at: number): string {
  const { head, body, tail } = bodyOf(file);
  const bytes = Buffer.from(body.replace(/\n/g, ''), 'base64');
  bytes[at]! ^= 0x01;
  return head + bytes.toString('base64').match(/.{1,64}/g)!.join('\n') + tail;
}

describe('sealed under the custodian passphrase', () => {
  it('is armored text saying whose share it is, and opens with the passphrase to the same record', async () => {
    const file = await sealShareWithPassphrase(record, PASS);
    expect(file).toMatch(new RegExp(`^Strongroom recovery share 3 of 5 \\(3 needed\\) for vault ${vaultId}\\.\\n`));
    expect(file).toMatch(/\n-----BEGIN STRONGROOM PASSPHRASE-SEALED RECOVERY SHARE-----\n[A-Za-z0-9+/=\n]+\n-----END STRONGROOM PASSPHRASE-SEALED RECOVERY SHARE-----\n$/);
    expect(peekSealedShare(file)).toEqual({ vaultId, splitId: commitment.splitId, index: 3, threshold: 3, count: 5 });
    expect((await openShareWithPassphrase(file, PASS)).equals(record)).toBe(true);
    // the default work factor is recorded in the file (m = 64 MiB, t = 3, p = 1)
    const body = Buffer.from(bodyOf(file).body.replace(/\n/g, ''), 'base64');
    expect([body.readUInt32BE(2), body[6], body[7]]).toEqual([DEFAULT_ARGON2.m, DEFAULT_ARGON2.t, DEFAULT_ARGON2.p]);
  });

  it('a wrong passphrase is AccessDeniedException naming the share, never the passphrase', async () => {
    const file = await sealShareWithPassphrase(record, PASS);
    const e = await failsWith(() => openShareWithPassphrase(file, 'tulip orbit velvet cinders'), 'AccessDeniedException');
    expect(e.message).toBe(`Wrong passphrase for share 3 of 5 (3 needed) for vault ${vaultId} (or the share file was altered).`);
    await failsWith(() => openShareWithPassphrase(file, ''), 'AccessDeniedException');
  });

  it('three passphrase-sealed shares, each under its own passphrase, recover the key', async () => {
    const files = await Promise.all([0, 1, 4].map((i) => sealShareWithPassphrase(shares[i]!, `custodian ${i}`, FAST)));
    const back = await Promise.all(files.map((f, k) => openShareWithPassphrase(f, `custodian ${[0, 1, 4][k]}`)));
    expect((await combineRecoveryShares(back, commitment)).equals(key)).toBe(true);
  });

  it('CRLF line endings and the explanatory text are tolerated; the explanatory text is not trusted', async () => {
    const file = await sealShareWithPassphrase(record, PASS, FAST);
    expect((await openShareWithPassphrase(file.replace(/\n/g, '\r\n'), PASS)).equals(record)).toBe(true);
    const relabelled = file.replace(/^Strongroom recovery share 3/, 'Strongroom recovery share 1');
    expect(peekSealedShare(relabelled).index).toBe(3);
  });

  it('every altered byte of the body is refused: header and sealed bytes by the GCM tag, format bytes by name', async () => {
    const file = await sealShareWithPassphrase(record, PASS, FAST);
    for (let at = 0; at < 136; at++) {
      const altered = flipBodyByte(file, at);
      const p = openShareWithPassphrase(altered, PASS);
      if (at === 0) expect((await failsWith(() => p, 'InvalidCiphertextException')).message).toMatch(/format version 0/);
      else if (at === 1) expect((await failsWith(() => p, 'InvalidCiphertextException')).message).toMatch(/unknown key derivation/);
      else if (at >= 2 && at < 8) await p.then(
        () => expect.unreachable('altered Argon2 parameters must not open'),
        (e: Error) => expect(['InvalidCiphertextException', 'AccessDeniedException']).toContain(e.name),
      );
      else expect((await failsWith(() => p, 'AccessDeniedException')).message).toMatch(/or the share file was altered/);
    }
  });

  it('a file whose clear header names another share than the sealed record is refused', async () => {
    // made by hand: only someone holding the passphrase could seal such a file
    const file = await sealShareWithPassphrase(record, PASS, FAST);
    const { head, body, tail } = bodyOf(file);
    const header = Buffer.from(body.replace(/\n/g, ''), 'base64').subarray(0, 47);
    const kek = await deriveKey(PASS, header.subarray(8, 24), FAST);
    const aad = Buffer.concat([Buffer.from('strongroom:recovery-share:v1\0passphrase\0'), header]);
    const forged = Buffer.concat([header, seal(kek, shares[3]!, aad)]).toString('base64');
    const e = await failsWith(() => openShareWithPassphrase(head + forged.match(/.{1,64}/g)!.join('\n') + tail, PASS), 'InvalidCiphertextException');
    expect(e.message).toBe(
      `The share file's header says share 3 of 5 (3 needed) for vault ${vaultId}, but the sealed share inside is share 4 of 5 (3 needed) for vault ${vaultId}.`,
    );
  });

  it('absurd Argon2 parameters are refused before deriving', async () => {
    const file = await sealShareWithPassphrase(record, PASS, FAST);
    const { head, body, tail } = bodyOf(file);
    const bytes = Buffer.from(body.replace(/\n/g, ''), 'base64');
    bytes.writeUInt32BE(0xffffffff, 2); // m = 4 TiB
    const e = await failsWith(() => openShareWithPassphrase(head + bytes.toString('base64') + tail, PASS), 'InvalidCiphertextException');
    expect(e.message).toBe('The share file is damaged: argon2 memory m=4294967295 KiB is outside 8..2097152.');
  });

  it('a truncated or garbled file is named', async () => {
    const file = await sealShareWithPassphrase(record, PASS, FAST);
    const lines = file.split('\n');
    const cases: [string, RegExp][] = [
      [lines.slice(0, -3).join('\n'), /has no "-----END STRONGROOM PASSPHRASE-SEALED RECOVERY SHARE-----" line: it is truncated/],
      [file.replace(/\n[A-Za-z0-9+/=]+\n-----END/, '\n-----END'), /has 96 bytes, expected 136: it is truncated or damaged/],
      [file.replace(/(BEGIN[^\n]*\n.{10})./, '$1*'), /its body is not base64/],
      ['', /is not a strongroom passphrase-sealed recovery share/],
      ['hello', /is not a strongroom passphrase-sealed recovery share/],
    ];
    for (const [bad, message] of cases) {
      expect((await failsWith(() => openShareWithPassphrase(bad, PASS), 'InvalidCiphertextException')).message).toMatch(message);
    }
  });

  it('refuses to seal under an empty passphrase or a damaged record', async () => {
    await failsWith(() => sealShareWithPassphrase(record, ''), 'ValidationException');
    const bad = Buffer.from(record);
    bad[40]! ^= 1;
    await failsWith(() => sealShareWithPassphrase(bad, PASS), 'InvalidCiphertextException');
  });
});

describe('sealed to an age recipient', () => {
  const identityFile = join(dir, 'custodian.key');
  execFileSync('age-keygen', ['-o', identityFile], { stdio: 'ignore' });
  const identity = readFileSync(identityFile, 'utf8');
  const recipient = execFileSync('age-keygen', ['-y', identityFile], { encoding: 'utf8' }).trim();
  const otherFile = join(dir, 'other.key');
  execFileSync('age-keygen', ['-o', otherFile], { stdio: 'ignore' });

  it('is an armored age file that opens with the identity (the age-keygen file as it is) to the same record', async () => {
    const file = await sealShareToAgeRecipient(record, recipient);
    expect(file).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n[\s\S]+\n-----END AGE ENCRYPTED FILE-----\n$/);
    expect((await openShareWithAgeIdentity(file, identity)).equals(record)).toBe(true);
    const bare = identity.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-1'))!;
    expect((await openShareWithAgeIdentity(Buffer.from(file), bare)).equals(record)).toBe(true);
  });

  it('decrypts with the real `age -d -i identity` to share text Strongroom reads back', async () => {
    const path = join(dir, 'share3.age');
    writeFileSync(path, await sealShareToAgeRecipient(record, recipient));
    const plaintext = execFileSync('age', ['-d', '-i', identityFile, path], { encoding: 'utf8' });
    expect(plaintext).toBe(shareText(record));
    expect(plaintext).toMatch(new RegExp(`^Strongroom recovery share 3 of 5 \\(3 needed\\) for vault ${vaultId}\\.\\n`));
    expect(plaintext).toMatch(/\n-----BEGIN STRONGROOM RECOVERY SHARE-----\n/);
    expect(parseShareText(plaintext).equals(record)).toBe(true);
  });

  it('opens a file the real `age -e -r` sealed (binary and armored) from the share text', async () => {
    const plain = join(dir, 'share3.txt');
    writeFileSync(plain, shareText(record));
    for (const armor of [false, true]) {
      const out = join(dir, armor ? 'by-age.asc' : 'by-age.age');
      execFileSync('age', ['-e', ...(armor ? ['-a'] : []), '-r', recipient, '-o', out, plain]);
      const bytes = readFileSync(out);
      expect((await openShareWithAgeIdentity(armor ? bytes.toString('utf8') : bytes, identity)).equals(record)).toBe(true);
    }
  });

  it('three age-sealed shares recover the key', async () => {
    const files = await Promise.all([1, 3, 4].map((i) => sealShareToAgeRecipient(shares[i]!, recipient)));
    const back = await Promise.all(files.map((f) => openShareWithAgeIdentity(f, identity)));
    expect((await combineRecoveryShares(back, commitment)).equals(key)).toBe(true);
  });

  it('the wrong identity is IncorrectKeyException, from Strongroom and from the real age', async () => {
    const file = await sealShareToAgeRecipient(record, recipient);
    const e = await failsWith(() => openShareWithAgeIdentity(file, readFileSync(otherFile, 'utf8')), 'IncorrectKeyException');
    expect(e.message).toMatch(/not sealed to this identity/);
    const path = join(dir, 'wrong.age');
    writeFileSync(path, file);
    expect(() => execFileSync('age', ['-d', '-i', otherFile, path], { stdio: 'pipe' })).toThrow(/no identity matched/);
  });

  it('a bad recipient or identity is ValidationException', async () => {
    await failsWith(() => sealShareToAgeRecipient(record, 'age1notarecipient'), 'ValidationException');
    await failsWith(() => sealShareToAgeRecipient(record, 'ssh-ed25519 AAAA'), 'ValidationException');
    const file = await sealShareToAgeRecipient(record, recipient);
    await failsWith(() => openShareWithAgeIdentity(file, 'AGE-SECRET-KEY-1XYZ'), 'ValidationException');
    await failsWith(() => openShareWithAgeIdentity(file, '# only a comment\n'), 'ValidationException');
  });

  it('a truncated, garbled or foreign file is named', async () => {
    const file = await sealShareToAgeRecipient(record, recipient);
    const lines = file.trimEnd().split('\n');
    const truncated = [...lines.slice(0, -3), lines.at(-1)!].join('\n');
    await failsWith(() => openShareWithAgeIdentity(truncated, identity), 'InvalidCiphertextException');
    const binary = Buffer.from(lines.slice(1, -1).join(''), 'base64');
    await failsWith(() => openShareWithAgeIdentity(binary.subarray(0, binary.length - 10), identity), 'InvalidCiphertextException');
    const flipped = Buffer.from(binary);
    flipped[flipped.length - 5]! ^= 1;
    await failsWith(() => openShareWithAgeIdentity(flipped, identity), 'InvalidCiphertextException');
    const passphraseFile = await sealShareWithPassphrase(record, PASS, FAST);
    const e = await failsWith(() => openShareWithAgeIdentity(passphraseFile, identity), 'InvalidCiphertextException');
    expect(e.message).toMatch(/is not an age file/);
    const e2 = await failsWith(() => openShareWithPassphrase(file, PASS), 'InvalidCiphertextException');
    expect(e2.message).toMatch(/It is an age-encrypted file: open it with its custodian's age identity\./);
  });

  it('an age file holding something other than a share is named', async () => {
    const path = join(dir, 'not-a-share.txt');
    writeFileSync(path, 'hello\n');
    const out = join(dir, 'not-a-share.age');
    execFileSync('age', ['-e', '-r', recipient, '-o', out, path]);
    const e = await failsWith(() => openShareWithAgeIdentity(readFileSync(out), identity), 'InvalidCiphertextException');
    expect(e.message).toMatch(/^The share text is not a strongroom recovery share/);
  });
});
