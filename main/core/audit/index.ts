// The audit trail (DESIGN §6): CloudTrail-shaped records with secrets
// redacted, a per-tenant hash chain, Ed25519-signed digests, offline
// verification and the JSONL export. Storage is main/store/audit/.
export * from './event.js';
export * from './chain.js';
export * from './digest.js';
export * from './signing-key.js';
export * from './verify.js';
export * from './export.js';
export * from './statement.js';
