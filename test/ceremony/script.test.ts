// Reading a ceremony script (main/ceremony/script.ts): everything that can
// be checked before anything runs is, and each refusal is a
// ValidationException naming the step and what is wrong.
import { describe, expect, it } from 'vitest';
import { parseScript } from '../../main/ceremony/script.js';
import { STEP_TYPES } from '../../main/ceremony/steps.js';
import { KSK_SCRIPT } from './support.js';

const withSteps = (steps: unknown[], more: object = {}) => JSON.stringify({ ...KSK_SCRIPT, ...more, steps });
const refusal = (text: string): string => {
  try {
    parseScript(text);
  } catch (e) {
    expect((e as Error).name).toBe('ValidationException');
    return (e as Error).message;
  }
  throw new Error('the script was accepted');
};

describe('a ceremony script', () => {
  it('reads JSON and YAML alike, with the SHA-256 of its bytes', () => {
    const json = parseScript(JSON.stringify(KSK_SCRIPT));
    expect(json).toMatchObject({ ceremony: 'KSK 2026', operator: 'admin', witnesses: ['wendy', 'walter'], format: 'json', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(json.steps.map((s) => [s.id, s.type, s.confirm])).toEqual([['ksk', 'create-key', ['wendy']], ['pub', 'export-public-key', []], ['split', 'split-recovery', ['wendy', 'walter']], ['audit', 'verify-audit', []]]);
    const yaml = parseScript('ceremony: small\noperator: admin\nsteps:\n  - {id: audit, type: verify-audit}\n');
    expect(yaml).toMatchObject({ format: 'yaml', witnesses: [], steps: [{ id: 'audit', type: 'verify-audit', confirm: [], fields: {} }] });
  });

  it('an unknown step type is a named error listing the types', () => {
    expect(STEP_TYPES).toEqual(['create-key', 'export-public-key', 'split-recovery', 'verify-audit', 'backup']);
    expect(refusal(withSteps([{ id: 'bak', type: 'snapshot', Out: 'vault.backup' }]))).toBe(`The ceremony script, step 'bak': unknown step type "snapshot"; the types are ${STEP_TYPES.join(', ')}.`);
    expect(refusal(withSteps([{ id: 'x' }]))).toMatch(/step 'x': unknown step type undefined/);
  });

  it("a step's fields must fit its type", () => {
    expect(refusal(withSteps([{ id: 'k', type: 'create-key', KeySpec: 'ECC_NIST_P999' }]))).toMatch(/^The ceremony script, step 'k' \(create-key\): 1 validation error detected: Value at 'KeySpec'/);
    expect(refusal(withSteps([{ id: 'k', type: 'create-key', Colour: 'red' }]))).toMatch(/step 'k' \(create-key\): .*Unknown parameter 'Colour'/);
    expect(refusal(withSteps([{ id: 'p', type: 'export-public-key', Key: 'alias/x', Format: 'pem', Out: '../outside.pem' }]))).toMatch(/step 'p' .*must be a path inside the output folder/);
    expect(refusal(withSteps([{ id: 'p', type: 'export-public-key', Key: 'alias/x', Format: 'pem', Out: '/etc/x.pem' }]))).toMatch(/must be a path inside the output folder/);
    // a backup step: one file inside the output folder, and nothing else
    expect(parseScript('ceremony: b\noperator: admin\nsteps:\n  - {id: bak, type: backup, Out: backups/vault.srb}\n').steps).toEqual([{ id: 'bak', type: 'backup', confirm: [], fields: { Out: 'backups/vault.srb' } }]);
    expect(refusal(withSteps([{ id: 'b', type: 'backup', Out: '../vault.srb' }]))).toMatch(/step 'b' \(backup\): .*must be a path inside the output folder/);
    expect(refusal(withSteps([{ id: 'b', type: 'backup' }]))).toMatch(/step 'b' \(backup\): .*Missing required parameter 'Out'/);
    expect(refusal(withSteps([{ id: 'b', type: 'backup', Out: 'v.srb', RecoveryKeyFile: 'r.hex' }]))).toMatch(/step 'b' \(backup\): .*Unknown parameter 'RecoveryKeyFile'/);
    // a custodian's passphrase comes from a file, never from the script
    expect(refusal(withSteps([{ id: 's', type: 'split-recovery', Threshold: 2, Custodians: [{ Name: 'a', Delivery: 'passphrase', Passphrase: 'in the script' }] }]))).toMatch(/step 's' \(split-recovery\)/);
  });

  it('ids are unique and well formed; references name earlier create-key steps', () => {
    const audit = { id: 'a', type: 'verify-audit' };
    expect(refusal(withSteps([audit, audit]))).toBe("The ceremony script: two steps have the id 'a'.");
    expect(refusal(withSteps([{ ...audit, id: '1st' }]))).toMatch(/^The ceremony script, step '1st': id use 1-64 letters/);
    expect(refusal(withSteps([{ id: 'p', type: 'export-public-key', Key: 'ksk', Format: 'pem', Out: 'k.pem' }]))).toBe(
      "The ceremony script, step 'p': 'ksk' names no earlier create-key step (nor an alias, key id or key ARN).",
    );
    expect(refusal(withSteps([audit, { id: 'p', type: 'export-public-key', Key: 'a', Format: 'pem', Out: 'k.pem' }]))).toMatch(/'a' names no earlier create-key step/);
    // an alias, a key id or an ARN is taken as it is
    expect(parseScript(withSteps([{ id: 'p', type: 'export-public-key', Key: 'alias/partner', Format: 'jwk', Out: 'k.jwk' }])).steps).toHaveLength(1);
  });

  it('confirmations name the witnesses; the operator is not a witness, nor is anyone twice', () => {
    expect(refusal(withSteps([{ id: 'a', type: 'verify-audit', confirm: ['mallory'] }]))).toBe("The ceremony script, step 'a': mallory confirms the step but is not among the witnesses.");
    expect(refusal(withSteps([{ id: 'a', type: 'verify-audit' }], { witnesses: ['admin'] }))).toMatch(/the operator admin cannot also witness/);
    expect(refusal(withSteps([{ id: 'a', type: 'verify-audit' }], { witnesses: ['wendy', 'wendy'] }))).toMatch(/witness wendy is named twice/);
  });

  it('malformed documents are named', () => {
    expect(refusal('{"ceremony": ')).toMatch(/^The ceremony script is not valid JSON/);
    expect(refusal('ceremony: [unclosed')).toMatch(/^The ceremony script is not valid YAML/);
    expect(refusal(JSON.stringify({ ceremony: 'x', operator: 'admin', steps: [] }))).toMatch(/^The ceremony script: 1 validation error detected: Value at 'steps'/);
    expect(refusal(JSON.stringify({ ...KSK_SCRIPT, extra: 1 }))).toMatch(/Unknown parameter 'extra'/);
  });
});
