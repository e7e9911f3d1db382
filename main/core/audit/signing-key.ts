// Each tenant's audit signing key: an Ed25519 key pair whose private half
// is stored sealed under the tenant key (AES-256-GCM, associated data
// naming the account, as key-material.ts seals CMK material), so a key row
// copied onto another tenant fails to open, and nobody without the vault
// master key can sign digests. The public key is derived from the opened
// private key, never taken from the stored PEM, so swapping the stored
// public key cannot make a forged trail verify.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { open, seal } from '../crypto/aes-gcm.js';
import { KmsError } from '../errors.js';
import { ed25519Sign, newAuditSigningKey, privateKeyFromPkcs8, type AuditSigner } from './digest.js';

const aad = (account: string) => Buffer.from(`strongroom/audit-signing-key/v1\0${account}`);

export interface AuditKeyRecord {
  account: string;
  /** nonce ‖ AES-256-GCM(tenant key, PKCS#8 DER) */
  sealedPrivateKey: Buffer;
  publicKeyPem: string;
}

/** Where the signer finds what it needs; the vault implements it over its repository and key hierarchy. */
export interface AuditKeySource {
  /** the opened tenant key of an account (KeyMaterials.tenantKey) */
  tenantKey(account: string): Promise<KeyObject>;
  load(account: string): Promise<AuditKeyRecord | undefined>;
  /** stores the record unless the account has one already; returns the stored one (AuditKeyStore.insertIfAbsent) */
  insertIfAbsent(record: AuditKeyRecord): Promise<AuditKeyRecord>;
}

/** A new audit key pair for `account`, its private key sealed under the tenant key. */
export function createAuditKeyRecord(tenantKey: KeyObject, account: string): AuditKeyRecord {
  const { privatePkcs8Der, publicSpkiPem } = newAuditSigningKey();
  try {
    return { account, sealedPrivateKey: seal(tenantKey, privatePkcs8Der, aad(account)), publicKeyPem: publicSpkiPem };
  } finally {
    privatePkcs8Der.fill(0);
  }
}

export function openAuditKeyRecord(tenantKey: KeyObject, record: AuditKeyRecord): KeyObject {
  const der = open(tenantKey, record.sealedPrivateKey, aad(record.account));
  if (!der) throw new KmsError('KMSInternalException', `The stored audit signing key of account ${record.account} failed its integrity check; the vault may have been tampered with.`);
  try {
    return privateKeyFromPkcs8(der);
  } finally {
    der.fill(0);
  }
}

interface OpenedKey {
  privateKey: KeyObject;
  publicKeyPem: string;
}

/** AuditSigner over sealed per-tenant keys; creates a tenant's key pair on first use. */
export class TenantAuditSigner implements AuditSigner {
  readonly #source: AuditKeySource;
  readonly #keys = new Map<string, Promise<OpenedKey>>();

  constructor(source: AuditKeySource) {
    this.#source = source;
  }

  async publicKeyPem(account: string): Promise<string> {
    return (await this.#key(account)).publicKeyPem;
  }

  async sign(account: string, bytes: Uint8Array): Promise<Buffer> {
    return ed25519Sign((await this.#key(account)).privateKey, bytes);
  }

  /** Forget every opened key (session lock, vault close). */
  clear(): void {
    this.#keys.clear();
  }

  #key(account: string): Promise<OpenedKey> {
    let p = this.#keys.get(account);
    if (!p) {
      p = this.#open(account);
      this.#keys.set(account, p);
      p.catch(() => this.#keys.delete(account));
    }
    return p;
  }

  async #open(account: string): Promise<OpenedKey> {
    const tenantKey = await this.#source.tenantKey(account);
    const record = (await this.#source.load(account)) ?? (await this.#source.insertIfAbsent(createAuditKeyRecord(tenantKey, account)));
    const privateKey = openAuditKeyRecord(tenantKey, record);
    const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string;
    return { privateKey, publicKeyPem };
  }
}
