// The key list as a table: sortable columns (TanStack Table v9) and only the
// rows in view in the DOM (TanStack Virtual), so 10,000 keys scroll and sort
// smoothly (npm run bench: test/bench/key-list.bench.ts). It stays a real
// <table>: screen readers get the row count (aria-rowcount) and each row's
// place (aria-rowindex), and the rows above and below the window are two
// spacer rows of the right height.
import { createColumnHelper, createSortedRowModel, rowSortingFeature, sortFn_alphanumeric, sortFn_basic, tableFeatures, useTable, type Header } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { KeyRow } from './key-list.js';

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic },
});

const column = createColumnHelper<typeof features, KeyRow>();
const dash = '—';

const COLUMNS = column.columns([
  column.accessor((r) => r.Aliases.join(', '), { id: 'aliases', header: 'Aliases', sortFn: 'alphanumeric', cell: (c) => c.getValue() || dash }),
  column.accessor('KeyId', {
    id: 'keyId',
    header: 'Key id',
    // plain string order: "natural" order would read a UUID's leading digits as a number
    sortFn: 'basic',
    cell: (c) => (
      <a className="mono" href={`#/keys/${c.getValue()}`}>
        {c.getValue()}
      </a>
    ),
  }),
  column.accessor((r) => r.Metadata?.KeyState ?? '', {
    id: 'state',
    header: 'State',
    sortFn: 'alphanumeric',
    cell: (c) => (c.getValue() ? <span className={`state state-${c.getValue()}`}>{c.getValue()}</span> : <span className="hint">not describable</span>),
  }),
  column.accessor((r) => r.Metadata?.KeySpec ?? '', { id: 'spec', header: 'Spec', sortFn: 'alphanumeric', cell: (c) => c.getValue() || dash }),
  column.accessor((r) => r.Metadata?.KeyUsage ?? '', { id: 'usage', header: 'Usage', sortFn: 'alphanumeric', cell: (c) => c.getValue() || dash }),
  column.accessor((r) => r.Metadata?.Origin ?? '', { id: 'origin', header: 'Origin', sortFn: 'alphanumeric', cell: (c) => c.getValue() || dash }),
  column.accessor((r) => r.Metadata?.CreationDate.getTime() ?? 0, {
    id: 'created',
    header: 'Created',
    sortFn: 'basic',
    cell: (c) => (c.getValue() ? <time dateTime={new Date(c.getValue()).toISOString()}>{new Date(c.getValue()).toLocaleString()}</time> : dash),
  }),
  column.accessor((r) => r.Metadata?.Description ?? '', { id: 'description', header: 'Description', sortFn: 'alphanumeric', cell: (c) => c.getValue() }),
]);

/** Row height in CSS pixels (styles.css .key-table td sets it); the virtualizer places rows by it. */
export const ROW_HEIGHT = 36;

export function KeyTable({ rows }: { rows: readonly KeyRow[] }) {
  const table = useTable(
    { features, columns: COLUMNS, data: rows as KeyRow[], getRowId: (r) => r.KeyId },
    (state) => ({ sorting: state.sorting }),
  );
  const sorted = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: sorted.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
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
          {items.map((item) => {
            const row = sorted[item.index]!;
            return (
              <tr key={row.id} aria-rowindex={item.index + 2} data-key-id={row.id}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            );
          })}
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
