// Sizes the contract checks before anything runs (AWS KMS API Reference,
// each action's parameter constraints, where Strongroom allows more).
// Node-free: part of the contract (operation.ts).

/** Plaintext of Encrypt and the data keys' plaintext: 1 byte to 4 MiB (AWS allows 4 KiB; a local vault can afford more). */
export const MAX_PLAINTEXT = 4 * 1024 * 1024;

/**
 * What a ciphertext blob adds to its plaintext: format version (1 byte),
 * key id (16), material version (4), nonce (12) and GCM tag (16); see
 * core/codecs/ciphertext-blob.ts, which checks it is the same.
 */
export const CIPHERTEXT_BLOB_OVERHEAD = 49;

/** Sign and Verify take a message of at most 4,096 bytes (AWS KMS API Reference, Sign Message). */
export const MAX_SIGN_MESSAGE = 4096;
