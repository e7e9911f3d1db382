// An operation's schemas are built on first use (api/operation.ts), once,
// and loading the contract or the vault service builds none of them
// (issue 14, "Start fast"); what a declaration says is otherwise unchanged.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { operation } from '../../main/api/operation.js';
import { ensureBuilt } from '../cli/binary.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('operation()', () => {
  test('builds each schema when first asked for, then keeps it', () => {
    let inputs = 0;
    let outputs = 0;
    const op = operation({
      name: 'Thing',
      action: 'x:Thing',
      summary: 'Does a thing.',
      input: () => (inputs++, z.object({ Id: z.string() }).strict()),
      output: () => (outputs++, z.object({ Done: z.boolean() })),
    });
    expect([inputs, outputs]).toEqual([0, 0]);
    expect(op.name).toBe('Thing');
    expect(op.input.parse({ Id: 'a' })).toEqual({ Id: 'a' });
    expect(op.input).toBe(op.input);
    expect([inputs, outputs]).toEqual([1, 0]);
    expect(op.output.safeParse({ Done: 'no' }).success).toBe(false);
    expect([inputs, outputs]).toEqual([1, 1]);
    expect(Object.isFrozen(op)).toBe(true);
  });
});

describe('loading', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  // In a child, counting the zod schemas made (zod calls globalConfig.postProcessor on each) from before zod loads.
  test('the contract and the vault service build few schemas; an operation’s are built when read, once', () => {
    const url = (p: string) => JSON.stringify(pathToFileURL(join(REPO, p)).href);
    const script = `
      let made = 0;
      globalThis.__zod_globalConfig = { postProcessor: () => { made++; } };
      const { CONTRACT } = await import(${url('dist/main/api/index.js')});
      await import(${url('dist/main/core/service/service.js')});
      const loading = made;
      const encrypt = CONTRACT.Encrypt.input;
      const first = made - loading;
      const again = CONTRACT.Encrypt.input === encrypt ? made - loading - first : -1;
      const before = made;
      for (const op of Object.values(CONTRACT)) void [op.input, op.output];
      process.stdout.write(JSON.stringify({ loading, first, again, rest: made - before }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: REPO });
    expect(r.status, r.stderr).toBe(0);
    const n = JSON.parse(r.stdout) as { loading: number; first: number; again: number; rest: number };
    expect(n.first).toBeGreaterThan(0); // Encrypt's input was not built while loading
    expect(n.again).toBe(0); // nor built twice
    // the shared fields are built while loading; the operations' own schemas, most of them, are not
    expect(n.rest).toBeGreaterThan(2 * n.loading);
  });
});
