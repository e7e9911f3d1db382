// The key hierarchy below the vault master key (DESIGN §3):
//   VMK ──seals──▶ tenant key ──seals──▶ each CMK material version.
// Every seal is AES-256-GCM with associated data naming exactly what the
// sealed bytes belong to, so a row copied onto another tenant, region, key,
// version or key spec fails to open instead of yielding a usable key.
// Opened keys are kept as KeyObjects (in OpenSSL memory, not the JS heap).
//
// What is sealed depends on the key spec: SYMMETRIC_DEFAULT 32 random bytes,
// HMAC_* the HMAC key, asymmetric specs the private key as PKCS#8 DER
// (asymmetric/index.ts). `open` is the symmetric hot path; `openParsed`
// opens any spec once into whatever its family works with and caches it.
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { generateKeyPairFor } from './asymmetric/index.js';
import { open, seal } from '../crypto/aes-gcm.js';
import { KmsError } from '../errors.js';
import { familyOf, HMAC_KEY_BYTES } from './key-specs.js';
import type { KeyRecord, MaterialRecord, TenantRecord } from '../model.js';

const tenantAad = (account: string) => Buffer.from(`strongroom/tenant-key/v1\0${account}`);
const materialAad = (k: Pick<KeyRecord, 'account' | 'region' | 'keyId' | 'keySpec'>, version: number) =>
  Buffer.from(`strongroom/key-material/v1\0${k.account}\0${k.region}\0${k.keyId}\0${version}\0${k.keySpec}`);

const corrupt = (what: string) =>
  new KmsError('KMSInternalException', `The stored ${what} failed its integrity check; the vault may have been tampered with.`);

export class KeyMaterials {
  readonly #vmk: KeyObject;
  readonly #tenantKeys = new Map<string, KeyObject>();
  readonly #materials = new Map<string, KeyObject>();
  /** opened non-symmetric material (HMAC KeyObjects, asymmetric key handles), by the same id */
  readonly #parsed = new Map<string, unknown>();

  constructor(vmk: KeyObject) {
    this.#vmk = vmk;
  }

  /** A new random tenant key, sealed under the vault master key. */
  newTenantKey(account: string): Buffer {
    const raw = randomBytes(32);
    try {
      return seal(this.#vmk, raw, tenantAad(account));
    } finally {
      raw.fill(0);
    }
  }

  tenantKey(t: TenantRecord): KeyObject {
    let k = this.#tenantKeys.get(t.account);
    if (!k) {
      const raw = open(this.#vmk, t.wrappedKey, tenantAad(t.account));
      if (!raw) throw corrupt(`tenant key of account ${t.account}`);
      k = createSecretKey(raw);
      raw.fill(0);
      this.#tenantKeys.set(t.account, k);
    }
    return k;
  }

  /**
   * The vault master key sealed under another 32-byte key (nonce ‖ AES-256-GCM ‖ tag),
   * for the recovery record (custody/recovery-record.ts names `aad`): the
   * master key never leaves this object unsealed.
   */
  sealVaultKey(wrappingKey: Uint8Array, aad: Buffer): Buffer {
    const raw = this.#vmk.export();
    try {
      return seal(createSecretKey(wrappingKey), raw, aad);
    } finally {
      raw.fill(0);
    }
  }

  /** New random AES-256 material for a key version, sealed under the tenant key. */
  create(tenant: TenantRecord, key: KeyRecord, version: number): Buffer {
    if (key.keySpec !== 'SYMMETRIC_DEFAULT') throw new Error(`create() makes SYMMETRIC_DEFAULT material only, not ${key.keySpec}; use generate()`);
    const raw = randomBytes(32);
    try {
      return seal(this.tenantKey(tenant), raw, materialAad(key, version));
    } finally {
      raw.fill(0);
    }
  }

  /** New material of the key's spec (an RSA key pair is generated off the event loop), sealed under the tenant key. */
  async generate(tenant: TenantRecord, key: KeyRecord, version: number): Promise<Buffer> {
    const family = familyOf(key.keySpec);
    if (family === 'symmetric') return this.create(tenant, key, version);
    const raw = family === 'hmac' ? randomBytes(HMAC_KEY_BYTES[key.keySpec]!.generated) : (await generateKeyPairFor(key.keySpec)).pkcs8;
    return this.seal(tenant, key, version, raw);
  }

  /** Seals given material (imported, or generated elsewhere) for a key version; zeroes `raw`. */
  seal(tenant: TenantRecord, key: KeyRecord, version: number, raw: Buffer): Buffer {
    try {
      return seal(this.tenantKey(tenant), raw, materialAad(key, version));
    } finally {
      raw.fill(0);
    }
  }

  /**
   * Opens a key version's material and turns it into what its family works
   * with (`parse` gets the raw bytes, which are zeroed after it returns);
   * the result is cached until the key is forgotten or the session locks.
   */
  async openParsed<T>(tenant: TenantRecord, key: KeyRecord, m: MaterialRecord, parse: (raw: Buffer) => T | Promise<T>): Promise<T> {
    const id = `${key.account}/${key.keyId}/${m.version}`;
    if (this.#parsed.has(id)) return this.#parsed.get(id) as T;
    const raw = open(this.tenantKey(tenant), m.wrapped, materialAad(key, m.version));
    if (!raw) throw corrupt(`material of key ${key.keyId} version ${m.version}`);
    try {
      const v = await parse(raw);
      this.#parsed.set(id, v);
      return v;
    } finally {
      raw.fill(0);
    }
  }

  open(tenant: TenantRecord, key: KeyRecord, m: MaterialRecord): KeyObject {
    const id = `${key.account}/${key.keyId}/${m.version}`;
    let k = this.#materials.get(id);
    if (!k) {
      const raw = open(this.tenantKey(tenant), m.wrapped, materialAad(key, m.version));
      if (!raw) throw corrupt(`material of key ${key.keyId} version ${m.version}`);
      k = createSecretKey(raw);
      raw.fill(0);
      this.#materials.set(id, k);
    }
    return k;
  }

  /** Forget a destroyed key's opened material. */
  forget(account: string, keyId: string): void {
    for (const id of this.#materials.keys()) if (id.startsWith(`${account}/${keyId}/`)) this.#materials.delete(id);
    for (const id of this.#parsed.keys()) if (id.startsWith(`${account}/${keyId}/`)) this.#parsed.delete(id);
  }

  /** Forget everything opened (session lock, vault close). */
  clear(): void {
    this.#tenantKeys.clear();
    this.#materials.clear();
    this.#parsed.clear();
  }
}
