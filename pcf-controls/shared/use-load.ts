// Loading state for props-only components: the service is passed in, the component only awaits it.
import * as React from 'react';

export type LoadState<T> =
  { kind: 'loading' } | { kind: 'error'; message: string; error: unknown } | { kind: 'done'; value: T };

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error)
    return String((error as { message: unknown }).message);
  return String(error);
}

/**
 * Runs `load` when `key` changes (or reload() is called) and tracks its state. The latest `load` is read
 * through a ref, so callers pass a fresh closure each render without reloading.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): [LoadState<T>, () => void] {
  const [state, setState] = React.useState<LoadState<T>>({ kind: 'loading' });
  const [generation, setGeneration] = React.useState(0);
  const loadRef = React.useRef(load);
  loadRef.current = load;
  React.useEffect(() => {
    let live = true;
    setState({ kind: 'loading' });
    loadRef.current().then(
      (value) => live && setState({ kind: 'done', value }),
      (error: unknown) => live && setState({ kind: 'error', message: errorMessage(error), error }),
    );
    return () => {
      live = false;
    };
  }, [key, generation]);
  const reload = React.useCallback(() => setGeneration((g) => g + 1), []);
  return [state, reload];
}
