// The self-describing ciphertext blob of a symmetric CMK (DESIGN §3):
//
//   offset size  field
//   0      1     format version (0x01)
//   1      16    key id (UUID bytes)
//   17     4     key material version (uint32, big-endian)
//   21     12    AES-GCM nonce
//   33     n+16  ciphertext || 128-bit tag
//
// The AEAD's associated data is bytes 0..32 followed by the canonical
// encryption context, so changing the header, the context or any ciphertext
// bit fails authentication. Decrypt finds the key from the blob, as AWS does.
import { NONCE_LENGTH, TAG_LENGTH } from '../crypto/aes-gcm.js';
import { invalidCiphertext } from '../errors.js';
import { CIPHERTEXT_BLOB_OVERHEAD } from '../../api/limits.js';

const BLOB_VERSION = 0x01;
const HEADER_LENGTH = 1 + 16 + 4 + NONCE_LENGTH;
export const BLOB_OVERHEAD = HEADER_LENGTH + TAG_LENGTH;
// The contract states the overhead so it can bound CiphertextBlob without importing this file.
if (BLOB_OVERHEAD !== CIPHERTEXT_BLOB_OVERHEAD) throw new Error(`api/limits.ts says a blob adds ${CIPHERTEXT_BLOB_OVERHEAD} bytes; the format adds ${BLOB_OVERHEAD}`);

interface BlobHeader {
  keyId: string;
  version: number;
  nonce: Buffer;
  /** the header's bytes, the first part of the associated data */
  header: Buffer;
  /** ciphertext || tag */
  sealed: Buffer;
}

const uuidToBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const bytesToUuid = (b: Buffer) => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export function encodeHeader(keyId: string, version: number, nonce: Uint8Array): Buffer {
  const h = Buffer.alloc(HEADER_LENGTH);
  h[0] = BLOB_VERSION;
  uuidToBytes(keyId).copy(h, 1);
  h.writeUInt32BE(version, 17);
  h.set(nonce, 21);
  return h;
}

export function parseBlob(blob: Uint8Array): BlobHeader {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (b.length < BLOB_OVERHEAD + 1) {
    throw invalidCiphertext(`The ciphertext is ${b.length} bytes, too short to be a Strongroom ciphertext blob.`);
  }
  if (b[0] !== BLOB_VERSION) {
    throw invalidCiphertext('The ciphertext is not a Strongroom symmetric ciphertext blob (unknown format version).');
  }
  return {
    keyId: bytesToUuid(b.subarray(1, 17)),
    version: b.readUInt32BE(17),
    nonce: b.subarray(21, HEADER_LENGTH),
    header: b.subarray(0, HEADER_LENGTH),
    sealed: b.subarray(HEADER_LENGTH),
  };
}
