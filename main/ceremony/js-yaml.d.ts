// js-yaml 4 ships no types; the one function the ceremony script reader uses.
declare module 'js-yaml' {
  /** Parses one YAML document (the default, safe schema: no functions or classes). */
  export function load(text: string, options?: { filename?: string; json?: boolean }): unknown;
}
