// Audit trails that stand in for the real one (AuditLog) where a test or a
// benchmark needs to take it out of the picture.
import type { AuditTrail } from '../../main/core/service/ports.js';

/**
 * A trail that keeps nothing. service.call still builds and redacts each
 * call's record; only the durable append (canonical JSON, hash chain, group
 * commit) is left out. Tests and benchmarks only: a service without a trail
 * refuses to run.
 */
export const UNRECORDED: AuditTrail = {
  append: async () => {},
  ready: async () => {},
  recover: async () => {},
  lookup: async () => ({ events: [] }),
  exportText: async () => '',
  verifyStored: async () => {
    throw new Error('not recorded');
  },
  publicKeyPem: async () => '',
  head: async () => 0,
  records: async () => [],
  signStatement: async () => {
    throw new Error('not recorded');
  },
  close: async () => {},
};
