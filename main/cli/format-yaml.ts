// `--output yaml` as the AWS CLI v2 prints it (awscli/formatter.py,
// YAMLDumper): ruamel.yaml's safe dumper with default_flow_style False,
// which runs libyaml's emitter (ruamel's CEmitter) with allow_unicode and
// the YAML 1.2 resolver. A top-level scalar is printed as JSON instead.
//
// Why not js-yaml: it differs from libyaml where AWS CLI users see it. It
// writes long strings as folded block scalars (`>-`) where libyaml folds a
// plain scalar at a space past column 80, writes multi-line strings as `|-`
// where libyaml single-quotes them, and quotes by the YAML 1.1 rules (yes,
// on) where ruamel's resolver is YAML 1.2. So this is a port of the parts
// of libyaml's emitter (emitter.c: yaml_emitter_analyze_scalar,
// yaml_emitter_select_scalar_style, the plain / single-quoted /
// double-quoted writers) that JSON values reach: block mappings with sorted
// keys, indentless sequences under a key, `[]` and `{}` for empty ones.
// test/cli/format-yaml.test.ts compares it with the AWS CLI's own dumper.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** libyaml's best_width */
const WIDTH = 80;

/**
 * Strings that ruamel's YAML 1.2 resolver reads as something else (bool,
 * float, int, merge `<<`, null, timestamp, value `=`) and so must be quoted
 * (ruamel/yaml/resolver.py, implicit_resolvers for version 1.2).
 */
const NOT_A_STRING = [
  /^(?:true|True|TRUE|false|False|FALSE)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$/,
  /^<<$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
  /^=$/,
];

const isBreak = (ch: string): boolean => ch === '\n' || ch === '\r' || ch === '\x85' || ch === '\u2028' || ch === '\u2029';
const isBlankOrEnd = (ch: string | undefined): boolean => ch === undefined || ch === ' ' || ch === '\t' || ch === '\0' || isBreak(ch);

/** libyaml's IS_PRINTABLE (with unicode output allowed) */
function isPrintable(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    c === 0x85 ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff)
  ); // libyaml's check stops at 3-byte UTF-8: characters past U+FFFF are escaped
}

type Style = 'plain' | 'single' | 'double';

/** yaml_emitter_select_scalar_style, block context, for a string */
function chooseStyle(value: string, simpleKey: boolean): Style {
  const a = analyse(value);
  // a plain scalar must read back as a string, and a key must be one line
  const implicit = !NOT_A_STRING.some((re) => re.test(value));
  if (implicit && a.blockPlain && !(simpleKey && a.multiline)) return 'plain';
  if (a.single && !(simpleKey && a.multiline)) return 'single';
  return 'double';
}

function analyse(value: string): { blockPlain: boolean; single: boolean; multiline: boolean } {
  const chars = [...value];
  let blockIndicators = value.startsWith('---') || value.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  chars.forEach((ch, i) => {
    const followedByBlank = isBlankOrEnd(chars[i + 1]);
    const precededByBlank = i === 0 || isBlankOrEnd(chars[i - 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      if ((ch === '?' || ch === ':') && followedByBlank) blockIndicators = true;
      if (ch === '-' && followedByBlank) blockIndicators = true;
    } else {
      if (ch === ':' && followedByBlank) blockIndicators = true;
      if (ch === '#' && precededByBlank) blockIndicators = true;
    }
    if (!isPrintable(ch)) special = true;
    if (isBreak(ch)) lineBreaks = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(ch)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
  });
  let blockPlain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak);
  let single = true;
  if (breakSpace || special || spaceBreak) blockPlain = single = false;
  if (lineBreaks || blockIndicators) blockPlain = false;
  return { blockPlain, single, multiline: lineBreaks };
}

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e',
  '"': '"', '\\': '\\', '\x85': 'N', '\xa0': '_', '\u2028': 'L', '\u2029': 'P',
};

/** Writes lines, tracking the column as libyaml does (in characters). */
class Writer {
  private out = '';
  column = 0;
  write(s: string): void {
    this.out += s;
    this.column += [...s].length;
  }
  /** a line break, then `indent` spaces */
  indent(indent: number): void {
    this.out += `\n${' '.repeat(indent)}`;
    this.column = indent;
  }
  /** a line break inside a quoted scalar: `\n` or the break character itself (U+2028, …) */
  breakLine(ch = '\n'): void {
    this.out += ch;
    this.column = 0;
  }
  /** the indentation of a line just broken */
  pad(indent: number): void {
    this.out += ' '.repeat(indent);
    this.column = indent;
  }
  text(): string {
    return this.out;
  }
}

/** A scalar after `key: ` or `- `; `indent` is where folded lines continue. */
function writeScalar(w: Writer, value: string, indent: number, simpleKey: boolean): void {
  const style = chooseStyle(value, simpleKey);
  const split = !simpleKey;
  const chars = [...value];
  if (style === 'plain') {
    // fold at a single space once the line is past WIDTH (never inside a key)
    let i = 0;
    while (i < chars.length) {
      let j = i;
      while (j < chars.length && chars[j] !== ' ') j++;
      w.write(chars.slice(i, j).join(''));
      i = j;
      while (j < chars.length && chars[j] === ' ') j++;
      if (j === i + 1 && split && w.column > WIDTH) w.indent(indent);
      else w.write(chars.slice(i, j).join(''));
      i = j;
    }
    return;
  }
  if (style === 'single') {
    w.write("'");
    let i = 0;
    while (i < chars.length) {
      const ch = chars[i] ?? '';
      if (ch === ' ') {
        let j = i;
        while (chars[j] === ' ') j++;
        if (j === i + 1 && w.column > WIDTH && split && i !== 0 && j !== chars.length) w.indent(indent);
        else w.write(chars.slice(i, j).join(''));
        i = j;
      } else if (isBreak(ch)) {
        let j = i;
        while (j < chars.length && isBreak(chars[j] ?? '')) j++;
        if (ch === '\n') w.breakLine();
        for (let k = i; k < j; k++) w.breakLine(chars[k]);
        w.pad(indent);
        i = j;
      } else {
        w.write(ch === "'" ? "''" : ch);
        i++;
      }
    }
    w.write("'");
    return;
  }
  w.write('"');
  chars.forEach((ch, i) => {
    const c = ch.codePointAt(0) ?? 0;
    if (!isPrintable(ch) || ch === '\ufeff' || isBreak(ch) || ch === '"' || ch === '\\') {
      const hex = c.toString(16).toUpperCase();
      w.write(`\\${ESCAPES[ch] ?? (c <= 0xff ? `x${hex.padStart(2, '0')}` : c <= 0xffff ? `u${hex.padStart(4, '0')}` : `U${hex.padStart(8, '0')}`)}`);
    } else if (ch === ' ' && split && chars[i - 1] !== ' ' && chars[i + 1] !== ' ' && i !== 0 && i !== chars.length - 1 && w.column > WIDTH) {
      w.indent(indent); // libyaml folds at a single space, as in a plain scalar
    } else w.write(ch);
  });
  w.write('"');
}

const isCompound = (v: Json): v is Json[] | { [key: string]: Json } => typeof v === 'object' && v !== null;
const isEmpty = (v: Json[] | { [key: string]: Json }): boolean => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);
/** ruamel's safe representer sorts mapping keys: Python's sorted(), by code point (not UTF-16 unit) */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** libyaml's yaml_emitter_check_simple_key: one line, at most 128 bytes; else `? key` then `: value` */
const isSimpleKey = (key: string): boolean => Buffer.byteLength(key, 'utf8') <= 128 && ![...key].some(isBreak);

/** A value that follows `key:` or `-` on the current line; `indent` is the indent of that key or dash. */
function writeValue(w: Writer, v: Json, indent: number, afterKey: boolean): void {
  if (!isCompound(v)) {
    w.write(' ');
    if (typeof v === 'string') writeScalar(w, v, indent + 2, false);
    else w.write(v === null ? 'null' : String(v));
    return;
  }
  if (isEmpty(v)) {
    w.write(Array.isArray(v) ? ' []' : ' {}');
    return;
  }
  if (Array.isArray(v)) {
    // under a key, a sequence is indentless; inside a sequence it starts on the dash's line
    if (afterKey) {
      w.indent(indent);
      writeSequence(w, v, indent);
    } else {
      w.write(' ');
      writeSequence(w, v, indent + 2);
    }
    return;
  }
  if (afterKey) w.indent(indent + 2);
  else w.write(' ');
  writeMapping(w, v, indent + 2);
}

/** A mapping whose first key goes where the writer stands; the others at `indent`. */
function writeMapping(w: Writer, m: { [key: string]: Json }, indent: number): void {
  Object.keys(m)
    .sort(byCodePoint)
    .forEach((key, i) => {
      if (i > 0) w.indent(indent);
      if (isSimpleKey(key)) writeScalar(w, key, indent, true);
      else {
        w.write('? ');
        writeScalar(w, key, indent + 2, false);
        w.indent(indent);
      }
      w.write(':');
      writeValue(w, m[key] ?? null, indent, true);
    });
}

function writeSequence(w: Writer, items: Json[], indent: number): void {
  items.forEach((item, i) => {
    if (i > 0) w.indent(indent);
    w.write('-');
    writeValue(w, item, indent, false);
  });
}

/** Python's json.dumps(..., ensure_ascii=False) of a scalar */
const jsonScalar = (v: Json): string => JSON.stringify(v);

/** One YAML document for a response; nothing for `{}` (formatter.py, YAMLFormatter). */
export function formatYaml(data: Json): string {
  if (!isCompound(data)) return `${jsonScalar(data)}\n`;
  if (!Array.isArray(data) && isEmpty(data)) return '';
  return `${yamlDocument(data)}\n`;
}

function yamlDocument(data: Json[] | { [key: string]: Json }): string {
  const w = new Writer();
  if (isEmpty(data)) w.write(Array.isArray(data) ? '[]' : '{}');
  else if (Array.isArray(data)) writeSequence(w, data, 0);
  else writeMapping(w, data, 0);
  return w.text();
}

/**
 * `--output yaml-stream` (formatter.py, StreamedYAMLFormatter): each page
 * (or the one response) as a one-element YAML sequence, printed as it comes;
 * `{}` prints nothing.
 */
export function formatYamlStreamPage(page: Json): string {
  if (!Array.isArray(page) && isCompound(page) && isEmpty(page)) return '';
  return `${yamlDocument([page])}\n`;
}
