export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Source path relative to solution/src (or the zip entry / control folder). */
  file: string;
  /** Element (or JSON pointer) the finding is about. */
  element: string;
  message: string;
}

export const error = (file: string, element: string, message: string): Diagnostic => ({
  severity: 'error',
  file,
  element,
  message,
});
export const warning = (file: string, element: string, message: string): Diagnostic => ({
  severity: 'warning',
  file,
  element,
  message,
});

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.severity.toUpperCase()} ${d.file}: ${d.element}: ${d.message}`;
}
