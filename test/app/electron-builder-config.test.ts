// electron-builder.yml, read and validated by electron-builder's own code
// (app-builder-lib, the package `electron-builder` runs): its loader (which
// also decides whether package.json's "build" key shadows the file), its
// schema validation (ajv 8 over app-builder-lib/scheme.json, the call
// `electron-builder` makes before packaging) and its glob matcher for `files`
// and `asarUnpack`. Then the choices issue 11 asks for, pinned one by one.
// Packaging itself needs the Electron binary, which cannot be downloaded here.
import { existsSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Configuration } from 'app-builder-lib';
import { FileMatcher } from 'app-builder-lib/out/fileMatcher.js';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { loadConfig } from 'app-builder-lib/out/util/config/load.js';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, test } from 'vitest';
import { defaultVaultDir } from '../../main/vault/paths.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const ENTITLEMENTS = 'build/entitlements.mac.plist';

/** Rejects with electron-builder's own "Invalid configuration object" error, as `electron-builder` would. */
const validate = (config: unknown) =>
  // a copy: the validator coerces types in place (ajv coerceTypes), the assertions read the parsed file
  validateConfiguration(structuredClone(config) as Configuration, new DebugLogger(false));

/** electron-builder's matcher over a list of globs, as it applies `files` and `asarUnpack` (paths relative to the project). */
function matcher(patterns: string[]): (path: string) => boolean {
  const filter = new FileMatcher(ROOT, '/app', (p) => p, patterns).createFilter();
  const aFile = { isDirectory: () => false } as Stats;
  return (path) => filter(join(ROOT, path), aFile);
}

/**
 * Every native binary (.node) that ships with the app: those in the
 * production dependency closure of package.json (dependencies and the
 * optionalDependencies npm installed for this machine), resolved the way
 * Node does (nested node_modules first, then the top level).
 */
function productionNativeBinaries(): string[] {
  const seen = new Set<string>();
  const binaries: string[] = [];
  const visit = (name: string, fromDir: string) => {
    const candidates = [join(fromDir, 'node_modules', name), join(ROOT, 'node_modules', name)];
    const dir = candidates.find((d) => existsSync(join(d, 'package.json')));
    if (dir === undefined || seen.has(dir)) return; // an optional dependency for another platform
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (entry.endsWith('.node') && !entry.split(sep).includes('node_modules') && !entry.split(sep).includes('obj.target')) {
        binaries.push(relative(ROOT, join(dir, entry)).split(sep).join('/'));
      }
    }
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dep, dir);
  };
  const app = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  for (const dep of Object.keys(app.dependencies)) visit(dep, ROOT);
  return binaries;
}

describe('electron-builder.yml', () => {
  let config: Record<string, any>;
  beforeAll(async () => {
    const read = await loadConfig<Record<string, any>>({ packageKey: 'build', configFilename: 'electron-builder', projectDir: ROOT, packageMetadata: null });
    // the file electron-builder reads is this one, not a "build" key in package.json
    expect(read?.configFile).toBe(join(ROOT, 'electron-builder.yml'));
    config = read!.result;
  });

  test('passes electron-builder’s own schema validation', async () => {
    await expect(validate(config)).resolves.toBeUndefined();
  });

  test('the same validation rejects an unknown key, a misspelt fuse and a wrong type', async () => {
    await expect(validate({ ...config, asarUnpak: config.asarUnpack })).rejects.toThrow(/unknown property 'asarUnpak'/);
    await expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } })).rejects.toThrow(/Invalid configuration object/);
    await expect(validate({ ...config, mac: { ...config.mac, hardenedRuntime: 'yes' } })).rejects.toThrow(/configuration\.mac\.hardenedRuntime should be a boolean/);
    await expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNode: 'no' } })).rejects.toThrow(/Invalid configuration object/);
  });

  test('identity, output folder and no publishing', () => {
    expect(config.appId).toBe('dev.strongroom.app');
    expect(config.productName).toBe('Strongroom');
    expect(config.directories).toEqual({ buildResources: 'build', output: 'release' });
    expect(config.publish).toBeNull();
  });

  test('targets: Linux AppImage and deb, macOS dmg, Windows NSIS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
  });

  test('fuses: no Node entry points into the packaged app, only the checked asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  test('files: the built main, preload and renderer and package.json; no sources, tests, docs or maps', () => {
    const packed = matcher(config.files);
    for (const path of ['dist/main/app/main.js', 'dist/main/core/errors.js', 'dist/preload/preload.cjs', 'dist/renderer/index.html', 'dist/renderer/assets/index-abc123.js', 'package.json']) {
      expect(packed(path), path).toBe(true);
    }
    for (const path of ['main/app/main.ts', 'preload/preload.ts', 'renderer/index.html', 'test/app/electron-builder-config.test.ts', 'dist/test/bench/run.js', 'docs/file-format.md', 'README.md', 'dist/main/app/main.js.map', 'build/entitlements.mac.plist', 'release/Strongroom.AppImage']) {
      expect(packed(path), path).toBe(false);
    }
  });

  test('asar on; the native modules of every platform unpacked, and nothing else asked for', () => {
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(true);
    const unpacked = matcher(config.asarUnpack);
    const binaries = productionNativeBinaries();
    // what is installed here: sqlite3 built from source, the keyring's Linux package
    expect(binaries).toContain('node_modules/sqlite3/build/Release/node_sqlite3.node');
    expect(binaries.some((b) => b.startsWith('node_modules/@napi-rs/keyring-'))).toBe(true);
    for (const binary of binaries) expect(unpacked(binary), binary).toBe(true);
    // the keyring's packages for the other platforms, and its loader
    for (const path of ['node_modules/@napi-rs/keyring-darwin-arm64/keyring.darwin-arm64.node', 'node_modules/@napi-rs/keyring-win32-x64-msvc/keyring.win32-x64-msvc.node', 'node_modules/@napi-rs/keyring/index.js']) {
      expect(unpacked(path), path).toBe(true);
    }
    for (const path of ['dist/main/app/main.js', 'node_modules/zod/index.js', 'node_modules/sqlite3-other/index.js']) {
      expect(unpacked(path), path).toBe(false);
    }
  });

  test('macOS: hardened runtime, one minimal entitlements file for the app and its helpers', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.entitlements).toBe(ENTITLEMENTS);
    // without it the helpers get electron-builder's template (unsigned executable memory, no library validation)
    expect(config.mac.entitlementsInherit).toBe(ENTITLEMENTS);
    // plist: the parser electron-builder uses for Info.plist (a dependency of app-builder-lib)
    const plist = createRequire(require.resolve('app-builder-lib/package.json'))('plist') as { parse(xml: string): unknown };
    expect(plist.parse(readFileSync(join(ROOT, ENTITLEMENTS), 'utf8'))).toEqual({ 'com.apple.security.cs.allow-jit': true });
  });

  test('Windows: an uninstall never deletes %APPDATA%\\Strongroom, where the vault lives', () => {
    // the folder NSIS's delete-app-data removes ($APPDATA\<productName>) is the default vault folder
    const appData = 'C:\\Users\\ada\\AppData\\Roaming';
    expect(defaultVaultDir({ APPDATA: appData }, 'win32')).toBe(join(appData, config.productName));
    expect(config.nsis.deleteAppDataOnUninstall).toBe(false);
    expect(config.nsis.oneClick).toBe(false);
    expect(config.nsis.perMachine).toBe(false);
  });
});
