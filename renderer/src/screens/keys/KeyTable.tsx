// The key list as a table: sortable columns (TanStack Table v9) and only the
// rows in view in the DOM (TanStack Virtual), so 10,000 keys scroll and sort
// smoothly (npm run bench: test/bench/key-list.bench.ts). It stays a real
// <table>: screen readers get the row count (aria-rowcount) and each row's
// place (aria-rowindex), and the rows above and below the window are two
// spacer rows of the right height.
import { createColumnHelper, createSortedRowModel, rowSortingFeature, sortFn_alphanumeric, sortFn_basic, tableFeatures, useTable, type Header, type Row } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef, type ReactNode } from 'react';
import type { KeyRow } from './key-list.js';

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic },
});

const column = createColumnHelper<typeof features, KeyRow>();
const dash = '—';
/** One formatter for every date cell: Date.toLocaleString builds a new one per call, which scrolling felt. */
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const COLUMNS = column.columns([
  column.accessor((r) => r.Aliases.join(', '), { id: 'aliases', header: 'Aliases', sortFn: 'alphanumeric' }),
  // plain string order: "natural" order would read a UUID's leading digits as a number
  column.accessor('KeyId', { id: 'keyId', header: 'Key id', sortFn: 'basic' }),
  column.accessor((r) => r.Summary?.KeyState ?? '', { id: 'state', header: 'State', sortFn: 'alphanumeric' }),
  column.accessor((r) => r.Summary?.KeySpec ?? '', { id: 'spec', header: 'Spec', sortFn: 'alphanumeric' }),
  column.accessor((r) => r.Summary?.KeyUsage ?? '', { id: 'usage', header: 'Usage', sortFn: 'alphanumeric' }),
  column.accessor((r) => r.Summary?.Origin ?? '', { id: 'origin', header: 'Origin', sortFn: 'alphanumeric' }),
  column.accessor((r) => r.Summary?.Created ?? 0, { id: 'created', header: 'Created', sortFn: 'basic' }),
  column.accessor((r) => r.Summary?.Description ?? '', { id: 'description', header: 'Description', sortFn: 'alphanumeric' }),
]);

/**
 * How each column's value shows, by column id. Rows render these from
 * row.getValue rather than row.getAllCells: the table keeps a WeakMap of
 * cells per row it built them for, and scrolling through 10,000 rows left
 * 80,000 of them for the garbage collector to trace (major GCs of 130–190 ms
 * in a Chrome trace of the benchmark's scroll).
 */
const CELLS: Record<string, (value: never) => ReactNode> = {
  aliases: (v: string) => v || dash,
  keyId: (v: string) => (
    <a className="mono" href={`#/keys/${v}`}>
      {v}
    </a>
  ),
  state: (v: string) => (v ? <span className={`state state-${v}`}>{v}</span> : <span className="hint">not describable</span>),
  spec: (v: string) => v || dash,
  usage: (v: string) => v || dash,
  origin: (v: string) => v || dash,
  created: (v: number) => (v ? <time dateTime={new Date(v).toISOString()}>{DATE.format(v)}</time> : dash),
  description: (v: string) => v,
};
const COLUMN_IDS = COLUMNS.map((c) => c.id!);

/** One function for every render (a stable table option). */
const getRowId = (r: KeyRow) => r.KeyId;

/** Row height in CSS pixels (styles.css .key-table td sets it); the virtualizer places rows by it. */
export const ROW_HEIGHT = 36;

export function KeyTable({ rows }: { rows: readonly KeyRow[] }) {
  const table = useTable(
    { features, columns: COLUMNS, data: rows as KeyRow[], getRowId },
    (state) => ({ sorting: state.sorting }),
  );
  const sorted = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  // useFlushSync false: the rows render in a task of their own, not inside the scroll event's frame (no long tasks while scrolling)
  const virtual = useVirtualizer({ count: sorted.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12, useFlushSync: false });
  const items = virtual.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = virtual.getTotalSize() - (items.at(-1)?.end ?? 0);
  const width = COLUMNS.length;

  return (
    // focusable so the keyboard scrolls it (axe: scrollable-region-focusable)
    <div className="key-scroll" ref={scroller} tabIndex={0} role="region" aria-label="Keys table">
      <table className="key-table" aria-rowcount={sorted.length + 1}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((h) => (
                <SortHeader key={h.id} header={h} />
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {before > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={width} style={{ height: before }} />
            </tr>
          )}
          {items.map((item) => (
            // keyed by slot, not by key id: a row scrolled out is reused for the one scrolled in (its text changes, no new DOM), which keeps the garbage collector's pauses out of scrolling
            <KeyTableRow key={item.index % items.length} row={sorted[item.index]!} index={item.index} />
          ))}
          {after > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={width} style={{ height: after }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** A row renders again only when its key or its place changes, not on every scrolled frame. */
const KeyTableRow = memo(function KeyTableRow({ row, index }: { row: Row<typeof features, KeyRow>; index: number }) {
  return (
    <tr aria-rowindex={index + 2} data-key-id={row.id}>
      {COLUMN_IDS.map((id) => (
        <td key={id}>{CELLS[id]!(row.getValue(id) as never)}</td>
      ))}
    </tr>
  );
});

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/** A column header: a native button that cycles the column's sort (ascending, descending, none); aria-sort says which. */
function SortHeader({ header }: { header: Header<typeof features, KeyRow, unknown> }) {
  const sorted = header.column.getIsSorted();
  const label = header.column.columnDef.header as string;
  return (
    <th scope="col" aria-sort={sorted ? ARIA_SORT[sorted] : 'none'}>
      <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()}>
        {label}
        <span aria-hidden="true" className="sort-mark">
          {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
}
