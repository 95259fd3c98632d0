// Twelve months as a list: each row shows its month with the year and its amount as text, with a bar for
// the proportion, so the values are readable without hovering, by screen readers and at 400 px.
import * as React from 'react';
import type { Formatter } from '../shared/formatter';
import type { MonthSpend } from './spend-service';

/** "2026-12" → the first day of that month (UTC noon, so no time zone moves it to another month) */
function monthDate(month: string): Date {
  const [year, m] = month.split('-').map(Number);
  return new Date(Date.UTC(year!, m! - 1, 1, 12));
}

export function SpendChart(props: { months: MonthSpend[]; label: string; format: Formatter }): React.ReactElement {
  const max = Math.max(1, ...props.months.map((m) => m.amount.minor));
  return (
    <ul aria-label={props.label} style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: 2 }}>
      {props.months.map((m) => {
        const month = props.format.month(monthDate(m.month));
        const amount = props.format.money(m.amount);
        return (
          <li
            key={m.month}
            style={{ display: 'grid', gridTemplateColumns: 'minmax(7em, auto) 1fr auto', gap: 8, alignItems: 'center' }}
          >
            <span style={{ color: '#605e5c' }}>{month}</span>
            <span aria-hidden="true" style={{ background: '#edebe9', height: 10 }}>
              <span
                style={{
                  display: 'block',
                  height: 10,
                  width: `${Math.round((Math.max(0, m.amount.minor) / max) * 100)}%`,
                  background: '#0078d4',
                }}
              />
            </span>
            <span style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>{amount}</span>
          </li>
        );
      })}
    </ul>
  );
}
