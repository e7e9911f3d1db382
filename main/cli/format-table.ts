// `--output table` as the AWS CLI prints it: a port of
// awscli/formatter.py TableFormatter (how a response becomes sections) and
// awscli/table.py MultiTable (how sections are drawn), without colour.
//
// The operation's name is the title. A mapping's scalar members make one
// row under a header of their sorted names (a single member: a `name | value`
// row); its lists and mappings follow as sub-sections one level in, titled
// by their key. A list of mappings is one header of every scalar name and a
// row per element. When the widest section is wider than the terminal (80
// columns when standard output is not a terminal, as Python's ioctl fails),
// every one-row section is turned on its side: one `name | value` row per
// column. False, 0, '', null, [] and {} print nothing (Python's `if not current`).
import { textWidth } from './east-asian-width.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };

interface Section {
  title: string;
  headers: string[];
  rows: string[][];
  indent: number;
  maxWidths: number[];
}

const newSection = (title: string, indent: number): Section => ({ title, headers: [], rows: [], indent, maxWidths: [] });

/** Python's str() of a value in a cell */
function cell(v: Json): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  return typeof v === 'string' ? v : String(v);
}

function updateWidths(s: Section, row: string[]): void {
  if (s.maxWidths.length === 0) s.maxWidths = row.map(textWidth);
  else row.forEach((el, i) => (s.maxWidths[i] = Math.max(textWidth(el), s.maxWidths[i] ?? 0)));
}

function addHeader(s: Section, headers: string[]): void {
  updateWidths(s, headers);
  s.headers = headers;
}

function addRow(s: Section, values: Json[]): void {
  const row = values.map(cell);
  s.rows.push(row);
  updateWidths(s, row);
}

const isScalar = (v: Json): boolean => typeof v !== 'object' || v === null;
const isMap = (v: Json | undefined): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Python truthiness of a JSON value */
const truthy = (v: Json): boolean => (Array.isArray(v) ? v.length > 0 : isMap(v) ? Object.keys(v).length > 0 : Boolean(v));
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** TableFormatter._build_table and its helpers: the sections a value makes */
class Builder {
  readonly sections: Section[] = [];
  private current: Section | undefined;

  private section(): Section {
    // the AWS CLI would fail on a row before any section; a titled section always comes first here
    if (!this.current) this.newSection('', 0);
    return this.current as Section;
  }

  private newSection(title: string, indent: number): void {
    this.current = newSection(title, indent);
    this.sections.push(this.current);
  }

  build(title: string | undefined, value: Json, indent = 0): boolean {
    if (!truthy(value)) return false;
    if (title !== undefined) this.newSection(title, indent);
    if (Array.isArray(value)) {
      if (isMap(value[0])) this.fromList(value, indent, title);
      else {
        for (const item of value) {
          if (isScalar(item)) addRow(this.section(), [item]);
          else if (Array.isArray(item) && item.every(isScalar)) addRow(this.section(), item);
          else this.build(undefined, item);
        }
      }
    }
    if (isMap(value)) this.fromDict(value, indent);
    return true;
  }

  private fromDict(value: JsonMap, indent: number): void {
    const [headers, more] = groupKeys(value);
    const [only] = headers;
    if (headers.length === 1 && only !== undefined) addRow(this.section(), [only, value[only] ?? null]);
    else if (headers.length > 0) {
      addHeader(this.section(), headers);
      addRow(this.section(), headers.map((k) => value[k] ?? null));
    }
    for (const key of more) this.build(key, value[key] ?? null, indent + 1);
  }

  private fromList(list: Json[], indent: number, title: string | undefined): void {
    const headerSet = new Set<string>();
    const moreSet = new Set<string>();
    for (const item of list) {
      const [h, m] = groupKeys(isMap(item) ? item : {});
      h.forEach((k) => headerSet.add(k));
      m.forEach((k) => moreSet.add(k));
    }
    const headers = [...headerSet].sort(byCodePoint);
    const more = [...moreSet].sort(byCodePoint);
    addHeader(this.section(), headers);
    list.forEach((item, i) => {
      const element = isMap(item) ? item : {};
      if (i > 0 && more.length > 0) {
        this.newSection(title ?? '', indent);
        addHeader(this.section(), headers);
      }
      addRow(this.section(), headers.map((k) => (k in element ? (element[k] ?? null) : '')));
      for (const key of more) if (key in element) this.build(key, element[key] ?? null, indent + 1);
    });
  }
}

function groupKeys(value: JsonMap): [string[], string[]] {
  const keys = Object.keys(value).sort(byCodePoint);
  return [keys.filter((k) => isScalar(value[k] ?? null)), keys.filter((k) => !isScalar(value[k] ?? null))];
}

/** Python 3's round(): halves to even */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Section.calculate_column_widths: each column's widest cell plus padding, scaled to fill maxWidth */
function columnWidths(s: Section, padding: number, maxWidth?: number): number[] {
  const unscaled = s.maxWidths.map((w) => w + padding);
  if (maxWidth === undefined || unscaled.length === 0) return unscaled;
  const scale = maxWidth / unscaled.reduce((a, b) => a + b, 0);
  const scaled = unscaled.map((w) => roundHalfEven(scale * w));
  let offBy = scaled.reduce((a, b) => a + b, 0) - maxWidth;
  while (offBy !== 0) {
    const order = [...scaled.keys()];
    if (offBy < 0) order.reverse();
    for (const i of order) {
      if (offBy > 0) {
        scaled[i] = (scaled[i] ?? 0) - 1;
        offBy -= 1;
      } else {
        scaled[i] = (scaled[i] ?? 0) + 1;
        offBy += 1;
      }
      if (offBy === 0) break;
    }
  }
  return scaled;
}

function totalWidth(s: Section): number {
  const columns = columnWidths(s, 0).reduce((a, w) => a + w + 4, 0);
  return Math.max(textWidth(s.title) + 2 + 2 * s.indent, columns + 2 + 2 * s.indent);
}

function centerText(text: string, length: number, left: string, right: string): string {
  const n = textWidth(text);
  const start = Math.floor(length / 2) - Math.floor(n / 2) - 1;
  const soFar = textWidth(left) + start + n;
  return `${left}${' '.repeat(Math.max(0, start))}${text}${' '.repeat(Math.max(0, length - textWidth(right) - soFar))}${right}`;
}

function alignLeft(text: string, length: number, left: string, right: string): string {
  const n = textWidth(text);
  const padding = length - (n + 2 + left.length + right.length) >= 0 ? 2 : 0;
  return `${left}${' '.repeat(padding)}${text}${' '.repeat(Math.max(0, length - (left.length + padding + n) - right.length))}${right}`;
}

/** convert_to_vertical_table: a section with a header and one row becomes a row per column */
function turnOnItsSide(sections: Section[]): Section[] {
  return sections.map((s) => {
    const [row] = s.rows;
    if (s.rows.length !== 1 || s.headers.length === 0 || !row) return s;
    const turned = newSection(s.title, s.indent);
    s.headers.forEach((h, i) => {
      if (i < row.length) addRow(turned, [h, row[i] ?? '']);
    });
    return turned;
  });
}

function lineBreak(widths: number[]): string {
  return widths.map((w, i) => (i === 0 ? `+${'-'.repeat(w - 2)}+` : `${'-'.repeat(w - 1)}+`)).join('');
}

function renderSection(s: Section, maxWidth: number, out: string[]): void {
  const width = maxWidth - s.indent * 2;
  const bar = '|'.repeat(s.indent);
  const line = (text: string): number => out.push(`${bar}${text}${bar}\n`);
  if (s.title) {
    line(centerText(s.title, width, '|', '|'));
    if (s.headers.length === 0 && s.rows.length === 0) line(`+${'-'.repeat(width - 2)}+`);
  }
  if (s.headers.length > 0) {
    const widths = columnWidths(s, 4, width);
    line(lineBreak(widths));
    line(s.headers.map((h, i) => centerText(h, widths[i] ?? 0, i === 0 ? '|' : '', '|')).join(''));
  }
  if (s.rows.length > 0) {
    const widths = columnWidths(s, 4, width);
    if (widths.length === 0) return;
    line(lineBreak(widths));
    for (const row of s.rows) line(widths.map((w, i) => alignLeft(row[i] ?? '', w, i === 0 ? '|' : '', '|')).join(''));
    line(lineBreak(widths));
  }
}

/**
 * The table for `value` under the title `title` (the operation's name,
 * e.g. DescribeKey), fitted to `terminalWidth` columns; '' when the value
 * is empty or false.
 */
export function formatTable(value: Json, title: string, terminalWidth = 80): string {
  const builder = new Builder();
  if (!builder.build(title, value)) return '';
  let sections = builder.sections;
  const widest = (): number => Math.max(...sections.map(totalWidth));
  let maxWidth = widest();
  if (maxWidth > terminalWidth) {
    sections = turnOnItsSide(sections);
    maxWidth = widest();
  }
  const out = [`${'-'.repeat(maxWidth)}\n`];
  for (const s of sections) renderSection(s, maxWidth, out);
  return out.join('');
}
