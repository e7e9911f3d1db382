// The key hierarchy below the vault master key (DESIGN §3):
//   VMK ──seals──▶ tenant key ──seals──▶ each CMK material version.
// Every seal is AES-256-GCM with associated data naming exactly what the
// sealed bytes belong to, so a row copied onto another tenant, region, key,
// version or key spec fails to open instead of yielding a usable key.
// Opened keys are kept as KeyObjects (in OpenSSL memory, not the JS heap).
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { open, seal } from './crypto/aes-gcm.js';
import { KmsError } from './errors.js';
import type { KeyRecord, MaterialRecord, TenantRecord } from './model.js';

const tenantAad = (account: string) => Buffer.from(`strongroom/tenant-key/v1\0${account}`);
const materialAad = (k: Pick<KeyRecord, 'account' | 'region' | 'keyId' | 'keySpec'>, version: number) =>
  Buffer.from(`strongroom/key-material/v1\0${k.account}\0${k.region}\0${k.keyId}\0${version}\0${k.keySpec}`);

const corrupt = (what: string) =>
  new KmsError('KMSInternalException', `The stored ${what} failed its integrity check; the vault may have been tampered with.`);

export class KeyMaterials {
  readonly #vmk: KeyObject;
  readonly #tenantKeys = new Map<string, KeyObject>();
  readonly #materials = new Map<string, KeyObject>();

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

  /** New random AES-256 material for a key version, sealed under the tenant key. */
  create(tenant: TenantRecord, key: KeyRecord, version: number): Buffer {
    const raw = randomBytes(32);
    try {
      return seal(this.tenantKey(tenant), raw, materialAad(key, version));
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
  }

  /** Forget everything opened (session lock, vault close). */
  clear(): void {
    this.#tenantKeys.clear();
    this.#materials.clear();
  }
}
