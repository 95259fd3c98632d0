// Half-circle gauge 0–100, exposed to assistive technology as a meter with its band as value text.
import * as React from 'react';
import type { FraudBand } from '../shared/fraud';

const COLORS: Record<FraudBand, string> = { low: '#107c10', medium: '#c19c00', high: '#a4262c' };

export function Gauge(props: { score: number; band: FraudBand; label: string; valueText: string }): React.ReactElement {
  const score = Math.max(0, Math.min(100, props.score));
  const angle = Math.PI * (1 - score / 100);
  const x = 50 + 40 * Math.cos(angle);
  const y = 50 - 40 * Math.sin(angle);
  return (
    <div
      role="meter"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={score}
      aria-valuetext={props.valueText}
    >
      <svg width="120" height="70" viewBox="0 0 100 60" aria-hidden="true" focusable="false">
        <path d="M10 50 A40 40 0 0 1 90 50" fill="none" stroke="#edebe9" strokeWidth="10" />
        {score > 0 && (
          <path
            d={`M10 50 A40 40 0 0 1 ${x.toFixed(2)} ${y.toFixed(2)}`}
            fill="none"
            stroke={COLORS[props.band]}
            strokeWidth="10"
          />
        )}
        <text x="50" y="48" textAnchor="middle" fontSize="18" fontWeight="600">
          {score}
        </text>
      </svg>
    </div>
  );
}
