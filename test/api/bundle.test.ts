// The contract bundles for the browser (issue 10): Vite builds main/api as a
// browser library, and the build fails if anything in it reaches for a Node
// module (node:crypto, fs, Buffer's module…), so the renderer can import
// every schema. The lint rule in eslint.config.js says the same at the
// source; this checks what a bundler actually resolves.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Rollup } from 'vite';
import { describe, expect, it } from 'vitest';

const ENTRY = fileURLToPath(new URL('../../main/api/index.ts', import.meta.url));
const NODE = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

async function bundle(entry: string): Promise<{ code: string; nodeImports: string[] }> {
  const nodeImports: string[] = [];
  const out = (await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, lib: { entry, formats: ['es'], fileName: 'api' }, target: 'es2022' },
    plugins: [
      {
        name: 'refuse-node-modules',
        enforce: 'pre',
        resolveId(id) {
          if (NODE.has(id) || id.startsWith('node:')) {
            nodeImports.push(id);
            return { id, external: true };
          }
          return null;
        },
      },
    ],
  })) as Rollup.RollupOutput[] | Rollup.RollupOutput;
  const outputs = Array.isArray(out) ? out : [out];
  const code = outputs.flatMap((o) => o.output).map((c) => ('code' in c ? c.code : '')).join('\n');
  return { code, nodeImports };
}

describe('the contract in a browser bundle', () => {
  it('builds with no Node module, and holds every operation', async () => {
    const { code, nodeImports } = await bundle(ENTRY);
    expect(nodeImports).toEqual([]);
    for (const name of ['Encrypt', 'CreateKey', 'PutKeyPolicy', 'LookupEvents', 'CreateTenant']) expect(code).toContain(`"${name}"`);
  }, 120_000);

  it('a module that reaches for Node is caught (the check can fail)', async () => {
    const bad = fileURLToPath(new URL('./node-reaching.fixture.ts', import.meta.url));
    const { nodeImports } = await bundle(bad);
    expect(nodeImports).toEqual(['node:crypto']);
  }, 120_000);
});
