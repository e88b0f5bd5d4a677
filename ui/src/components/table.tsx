// The table every list page uses: sortable columns, pages, and keyboard navigation — focus the
// table (Tab, or click) and use ↑/↓ or j/k to move, Enter to open, ←/→ or PageUp/PageDown to turn
// pages. Rows open on click too; the first cell usually holds a real link for middle-clicks.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Sort key; a column without one is not sortable. */
  sort?: (row: T) => string | number;
  className?: string;
}

interface Props<T> {
  label: string;
  rows: readonly T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  onOpen?: (row: T) => void;
  empty: ReactNode;
  pageSize?: number;
  initialSort?: { key: string; desc: boolean };
  rowClass?: (row: T) => string;
  testId?: string;
}

export function DataTable<T>({ label, rows, columns, rowKey, onOpen, empty, pageSize = 25, initialSort, rowClass, testId }: Props<T>) {
  const [sort, setSort] = useState(initialSort);
  const [page, setPage] = useState(0);
  const [active, setActive] = useState(-1);
  const tableRef = useRef<HTMLTableElement>(null);

  const sorted = useMemo(() => {
    const col = sort && columns.find((c) => c.key === sort.key);
    if (!col?.sort) return rows;
    const by = col.sort;
    const keyed = rows.map((r) => [by(r), r] as const);
    keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (sort?.desc) keyed.reverse();
    return keyed.map(([, r]) => r);
  }, [rows, columns, sort]);

  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const current = Math.min(page, pages - 1);
  const visible = sorted.slice(current * pageSize, (current + 1) * pageSize);

  useEffect(() => {
    if (active >= visible.length) setActive(visible.length - 1);
  }, [active, visible.length]);

  useEffect(() => {
    if (active < 0) return;
    const row = tableRef.current?.querySelectorAll('tbody tr')[active];
    if (row && 'scrollIntoView' in row) (row as HTMLElement).scrollIntoView({ block: 'nearest' });
  }, [active]);

  if (rows.length === 0) return <>{empty}</>;

  const onKey = (e: KeyboardEvent<HTMLTableElement>): void => {
    if (e.target instanceof HTMLInputElement || e.altKey || e.ctrlKey || e.metaKey) return;
    const last = visible.length - 1;
    const turn = (d: number): void => {
      const next = Math.min(pages - 1, Math.max(0, current + d));
      if (next !== current) {
        setPage(next);
        setActive(0);
      }
    };
    switch (e.key) {
      case 'ArrowDown':
      case 'j':
        setActive((a) => Math.min(last, a + 1));
        break;
      case 'ArrowUp':
      case 'k':
        setActive((a) => Math.max(0, a - 1));
        break;
      case 'Home':
        setActive(0);
        break;
      case 'End':
        setActive(last);
        break;
      case 'ArrowRight':
      case 'PageDown':
        turn(1);
        break;
      case 'ArrowLeft':
      case 'PageUp':
        turn(-1);
        break;
      case 'Enter': {
        const row = visible[active];
        if (row && onOpen) onOpen(row);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  };

  const toggleSort = (key: string): void => {
    setSort((s) => (s?.key === key ? { key, desc: !s.desc } : { key, desc: false }));
    setPage(0);
  };

  return (
    <div className="table-wrap">
      <table className="table" aria-label={label} tabIndex={0} onKeyDown={onKey} ref={tableRef} data-testid={testId} onFocus={() => active < 0 && setActive(0)}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} className={c.className} aria-sort={sort?.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined}>
                {c.sort ? (
                  <button type="button" className="th-sort" onClick={() => toggleSort(c.key)}>
                    {c.header}
                    <span className="sort-mark">{sort?.key === c.key ? (sort.desc ? '▼' : '▲') : ''}</span>
                  </button>
                ) : (
                  c.header
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {visible.map((r, i) => (
            <tr
              key={rowKey(r)}
              className={`${i === active ? 'active ' : ''}${onOpen ? 'clickable ' : ''}${rowClass?.(r) ?? ''}`}
              onClick={(e) => {
                if (!onOpen || (e.target as HTMLElement).closest('a,button,input')) return;
                setActive(i);
                onOpen(r);
              }}
            >
              {columns.map((c) => (
                <td key={c.key} className={c.className}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 && (
        <div className="pager">
          <span>
            {current * pageSize + 1}–{Math.min(sorted.length, (current + 1) * pageSize)} of {sorted.length}
          </span>
          <button type="button" className="btn btn-small" disabled={current === 0} onClick={() => setPage(current - 1)}>
            ← Previous
          </button>
          <button type="button" className="btn btn-small" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            Next →
          </button>
        </div>
      )}
    </div>
  );
}
