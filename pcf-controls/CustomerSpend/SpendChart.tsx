// Twelve bars, one per month. Each bar is a list item with its month and amount as accessible name,
// so the chart reads as a list to screen readers.
import * as React from 'react';
import type { Formatter } from '../shared/formatter';
import type { MonthSpend } from './spend-service';

export function SpendChart(props: { months: MonthSpend[]; label: string; format: Formatter }): React.ReactElement {
  const max = Math.max(1, ...props.months.map((m) => m.amount.minor));
  return (
    <ul
      aria-label={props.label}
      style={{ display: 'flex', alignItems: 'flex-end', gap: 4, height: 90, listStyle: 'none', margin: 0, padding: 0 }}
    >
      {props.months.map((m) => {
        const text = `${m.month}: ${props.format.money(m.amount)}`;
        return (
          <li
            key={m.month}
            aria-label={text}
            title={text}
            style={{ display: 'flex', flexDirection: 'column', alignItems: 'center', flex: 1 }}
          >
            <div
              style={{
                width: '100%',
                height: Math.round((m.amount.minor / max) * 70),
                minHeight: 1,
                background: '#0078d4',
              }}
            />
            <span aria-hidden="true" style={{ fontSize: 10, color: '#605e5c' }}>
              {m.month.slice(5)}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
