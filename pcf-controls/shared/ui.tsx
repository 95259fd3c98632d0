// Small presentational pieces shared by the controls (Fluent UI 8 from the platform).
import { MessageBar, MessageBarType, Spinner, SpinnerSize } from '@fluentui/react';
import * as React from 'react';

export function Loading(props: { label: string }): React.ReactElement {
  return <Spinner size={SpinnerSize.small} label={props.label} />;
}

export function ErrorMessage(props: { text: string }): React.ReactElement {
  return (
    <MessageBar messageBarType={MessageBarType.error} isMultiline>
      {props.text}
    </MessageBar>
  );
}

export function InfoMessage(props: { text: string }): React.ReactElement {
  return <MessageBar messageBarType={MessageBarType.info}>{props.text}</MessageBar>;
}

export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

const TONES: Record<Tone, { background: string; color: string }> = {
  good: { background: '#dff6dd', color: '#107c10' },
  warn: { background: '#fff4ce', color: '#8a5300' },
  bad: { background: '#fde7e9', color: '#a4262c' },
  neutral: { background: '#f3f2f1', color: '#323130' },
};

export function Badge(props: { tone: Tone; label: string; text: string }): React.ReactElement {
  const tone = TONES[props.tone];
  return (
    <span
      aria-label={props.label}
      style={{ ...tone, borderRadius: 2, padding: '2px 8px', fontWeight: 600, display: 'inline-block' }}
    >
      {props.text}
    </span>
  );
}

/** A definition list row: term and value, readable by screen readers as a pair. */
export function Field(props: { term: string; children: React.ReactNode }): React.ReactElement {
  return (
    <div style={{ display: 'flex', gap: 8 }}>
      <dt style={{ minWidth: 120, color: '#605e5c' }}>{props.term}</dt>
      <dd style={{ margin: 0 }}>{props.children}</dd>
    </div>
  );
}
