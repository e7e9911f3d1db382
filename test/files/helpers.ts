// Shared by the file-encryption tests: a vault with a key, a scratch
// directory, encrypt/decrypt through the real service, and the segment
// layout of an encrypted file (so tampering can aim at segment boundaries).
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'vitest';
import { decryptFile, type DecryptFileRequest } from '../../main/files/decrypt-file.js';
import { encryptFile, type EncryptFileRequest } from '../../main/files/encrypt-file.js';
import { headerLength, MIN_SEGMENT_SIZE, PREAMBLE_LENGTH, SegmentError, TAG_LENGTH } from '../../main/files/format.js';
import { makeVault, type TestVault } from '../support/vault.js';

/** The smallest segment size keeps the multi-segment cases small. */
export const S = MIN_SEGMENT_SIZE;
export const SEALED = S + TAG_LENGTH;

export interface Fixture {
  t: TestVault;
  dir: string;
  key: { KeyId: string; Arn: string };
  path(name: string): string;
  /** encrypts bytes to a file with S-byte segments and returns the encrypted bytes */
  seal(plaintext: Uint8Array, extra?: Partial<EncryptFileRequest>): Promise<Buffer>;
  /** decrypts encrypted bytes (written to a file) to a file and returns the plaintext */
  open(sealed: Uint8Array, extra?: Partial<DecryptFileRequest>): Promise<Buffer>;
  encrypt(req: Omit<EncryptFileRequest, 'KeyId'> & { KeyId?: string }): ReturnType<typeof encryptFile>;
  decrypt(req: DecryptFileRequest): ReturnType<typeof decryptFile>;
  close(): Promise<void>;
}

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

export async function fixture(): Promise<Fixture> {
  const t = await makeVault();
  const dir = await mkdtemp(join(tmpdir(), 'strongroom-files-'));
  const key = (await t.call('CreateKey', { Description: 'files' })).KeyMetadata;
  const path = (name: string) => join(dir, name);
  const encrypt: Fixture['encrypt'] = (req) => encryptFile(t.vault.service, t.admin, { KeyId: key.KeyId, ...req } as EncryptFileRequest);
  const decrypt: Fixture['decrypt'] = (req) => decryptFile(t.vault.service, t.admin, req);
  return {
    t,
    dir,
    key,
    path,
    encrypt,
    decrypt,
    async seal(plaintext, extra = {}) {
      const p = path(unique('plain'));
      const c = path(unique('sealed'));
      await writeFile(p, plaintext);
      await encrypt({ InPath: p, OutPath: c, SegmentSize: S, ...extra });
      const out = await readFile(c);
      await rm(p);
      await rm(c);
      return out;
    },
    async open(sealed, extra = {}) {
      const c = path(unique('sealed'));
      const p = path(unique('plain'));
      await writeFile(c, sealed);
      try {
        await decrypt({ InPath: c, OutPath: p, ...extra });
        return await readFile(p);
      } finally {
        await rm(c, { force: true });
        await rm(p, { force: true });
      }
    },
    async close() {
      await rm(dir, { recursive: true, force: true });
      await t.close();
    },
  };
}

/** Header length of an encrypted file. */
export const headerOf = (sealed: Buffer) => headerLength(sealed.subarray(0, PREAMBLE_LENGTH));

/** [start, end) of segment i in an encrypted file with S-byte segments. */
export function segmentAt(sealed: Buffer, i: number): [number, number] {
  const start = headerOf(sealed) + i * SEALED;
  return [start, Math.min(sealed.length, start + SEALED)];
}

/** Awaits a promise that must fail with InvalidCiphertextException (naming `segment` if given). */
export async function invalid(p: Promise<unknown>, segment?: number): Promise<Error> {
  let outcome: unknown;
  try {
    outcome = await p;
  } catch (e) {
    expect((e as Error).name, (e as Error).message).toBe('InvalidCiphertextException');
    if (segment !== undefined) {
      expect(e, (e as Error).message).toBeInstanceOf(SegmentError);
      expect((e as SegmentError).segment, (e as Error).message).toBe(segment);
      expect((e as Error).message).toMatch(new RegExp(`segment ${segment}\\b`, "i"));
    }
    return e as Error;
  }
  throw new Error(`expected InvalidCiphertextException, but it succeeded: ${JSON.stringify(outcome)?.slice(0, 200)}`);
}

/** Awaits a promise that must fail with the given error name. */
export async function failsWith(p: Promise<unknown>, name: string): Promise<Error> {
  try {
    await p;
  } catch (e) {
    expect((e as Error).name, (e as Error).message).toBe(name);
    return e as Error;
  }
  throw new Error(`expected ${name}, but it succeeded`);
}

/** Deterministic bytes that differ at every position of a segment (so a swap or splice always changes something). */
export function pattern(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

/** Names in the scratch directory (to check that no temporary file is left behind). */
export const listDir = (dir: string) => readdir(dir);

/** A Writable that collects what it is given. */
export function collector(): { stream: Writable; bytes(): Buffer } {
  const parts: Buffer[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _enc, cb) {
        parts.push(Buffer.from(chunk));
        cb();
      },
    }),
    bytes: () => Buffer.concat(parts),
  };
}
