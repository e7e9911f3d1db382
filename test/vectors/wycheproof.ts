// Loading the Wycheproof files copied into test/vectors/wycheproof/ (see the
// README there for provenance and licence).
import { readFileSync } from 'node:fs';

export interface WycheproofTest {
  tcId: number;
  comment: string;
  flags: string[];
  result: 'valid' | 'invalid' | 'acceptable';
  [field: string]: unknown;
}
export interface WycheproofGroup {
  type: string;
  tests: WycheproofTest[];
  [field: string]: unknown;
}
export interface WycheproofFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: WycheproofGroup[];
}

export function loadWycheproof(name: string): WycheproofFile {
  const file = JSON.parse(readFileSync(new URL(`./wycheproof/${name}`, import.meta.url), 'utf8')) as WycheproofFile;
  const count = file.testGroups.reduce((n, g) => n + g.tests.length, 0);
  if (count !== file.numberOfTests) throw new Error(`${name}: ${count} tests, header says ${file.numberOfTests}`);
  return file;
}

export const hex = (s: unknown) => Buffer.from(s as string, 'hex');
export const label = (file: string, tc: WycheproofTest) => `${file} tcId ${tc.tcId} (${tc.result}; ${[tc.comment, ...tc.flags].filter(Boolean).join(', ')})`;

/** `valid` must pass and `invalid` must fail; `acceptable` may go either way (returns undefined). */
export function expected(tc: WycheproofTest): boolean | undefined {
  return tc.result === 'valid' ? true : tc.result === 'invalid' ? false : undefined;
}
