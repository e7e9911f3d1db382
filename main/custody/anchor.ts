// Where the vault's anchor lives (core/integrity/anchor.ts): outside the database
// file, so one who can write the database cannot move it.
//   keychain   an OS keychain entry beside the vault master key ("Strongroom" /
//              "vault:<id>:audit-anchors"): out of reach of whoever has only the file.
//   file       for a vault without a keychain: `audit-anchors` in the vault folder,
//              sealed (AES-256-GCM) under a key derived from the vault master key,
//              so it cannot be forged or edited. It can still be deleted or put back
//              from an older copy by one who can write the folder (README).
// Both hold one JSON document {version: 1, schema, accounts: {<account>: {toSeq, digestHash}}}
// and only ever move forward.
import { randomUUID, type KeyObject } from 'node:crypto';
import { open as openFile, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Anchor, AnchorStore } from '../core/integrity/anchor.js';
import { open, seal } from '../core/crypto/aes-gcm.js';
import { KmsError } from '../core/errors.js';
import { KEYCHAIN_SERVICE, readKeychainSecret, storeKeychainSecret, type KeychainLocation } from './keychain.js';

const documentSchema = z.strictObject({
  version: z.literal(1),
  schema: z.number().int().min(1).optional(),
  accounts: z.record(z.string().regex(/^\d{12}$/), z.strictObject({ toSeq: z.number().int().min(1), digestHash: z.string().regex(/^[0-9a-f]{64}$/) })),
});
type AnchorDocument = z.infer<typeof documentSchema>;

const damaged = (where: string) =>
  new KmsError('KMSInternalException', `The audit anchor in ${where} is damaged, so the audit trail cannot be checked for trimming; restore the vault from a backup.`);
const vanished = (where: string) =>
  new KmsError(
    'KMSInvalidStateException',
    `The audit anchor in ${where}, read before, is no longer there: it was removed, or the keychain stopped answering. If the keychain stopped, start and unlock it and retry; if the anchor was removed, restore the vault from a backup.`,
  );

/** An anchor document kept as bytes somewhere; updates are serialized in this process and never move an anchor back. */
class AnchorDocumentStore implements AnchorStore {
  #queue: Promise<unknown> = Promise.resolve();
  /** Whether this store has read or written a document: one cannot vanish after (a keychain gone away reads as "no entry"). */
  #seen = false;

  constructor(
    private readonly where: string,
    private readonly load: () => Promise<Buffer | undefined>,
    private readonly save: (bytes: Buffer) => Promise<void>,
  ) {}

  async read(account: string): Promise<Anchor | undefined> {
    return (await this.#document()).accounts[account];
  }

  advance(account: string, anchor: Anchor): Promise<void> {
    return this.#update((doc) => {
      const current = doc.accounts[account];
      if (current && current.toSeq >= anchor.toSeq) return false;
      doc.accounts[account] = { toSeq: anchor.toSeq, digestHash: anchor.digestHash };
      return true;
    });
  }

  async schema(): Promise<number | undefined> {
    return (await this.#document()).schema;
  }

  raiseSchema(version: number): Promise<void> {
    return this.#update((doc) => {
      if (doc.schema !== undefined && doc.schema >= version) return false;
      doc.schema = version;
      return true;
    });
  }

  /** Reads the document, lets `change` edit it (true: it did), and saves it; one update at a time. */
  #update(change: (doc: AnchorDocument) => boolean): Promise<void> {
    const next = this.#queue.then(async () => {
      const doc = await this.#document();
      if (change(doc)) {
        await this.save(Buffer.from(JSON.stringify(doc), 'utf8'));
        this.#seen = true;
      }
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #document(): Promise<AnchorDocument> {
    const bytes = await this.load();
    if (bytes === undefined) {
      if (this.#seen) throw vanished(this.where);
      return { version: 1, accounts: {} };
    }
    this.#seen = true;
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw damaged(this.where);
    }
    const r = documentSchema.safeParse(parsed);
    if (!r.success) throw damaged(this.where);
    return r.data;
  }
}

/** Where a keychain-custody vault's anchors are kept in the OS keychain. */
export const keychainAnchorLocation = (vaultId: string): KeychainLocation => ({ service: KEYCHAIN_SERVICE, account: `vault:${vaultId}:audit-anchors` });

/** The anchors of a keychain-custody vault, in the OS keychain. */
export function keychainAnchorStore(vaultId: string): AnchorStore {
  const loc = keychainAnchorLocation(vaultId);
  return new AnchorDocumentStore(`the OS keychain ("${loc.service}" / "${loc.account}")`, () => readKeychainSecret(loc), (bytes) => storeKeychainSecret(loc, bytes));
}

export const ANCHOR_FILE = 'audit-anchors';

/** The anchors of a vault without a keychain: a sealed file in the vault folder, replaced atomically. */
export function fileAnchorStore(dir: string, vaultId: string, key: KeyObject): AnchorStore {
  const path = join(dir, ANCHOR_FILE);
  const aad = Buffer.from(`strongroom/audit-anchors/v1\0${vaultId}`);
  return new AnchorDocumentStore(
    path,
    async () => {
      let sealed: Buffer;
      try {
        sealed = await readFile(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
      const bytes = open(key, sealed, aad);
      if (!bytes) throw damaged(path);
      return bytes;
    },
    async (bytes) => {
      const temp = join(dir, `.${ANCHOR_FILE}.${randomUUID()}`);
      try {
        const f = await openFile(temp, 'wx', 0o600);
        try {
          await f.chmod(0o600); // whatever the umask made of the mode above
          await f.writeFile(seal(key, bytes, aad));
          await f.sync();
        } finally {
          await f.close();
        }
        await rename(temp, path);
      } catch (e) {
        await rm(temp, { force: true });
        throw e;
      }
    },
  );
}
