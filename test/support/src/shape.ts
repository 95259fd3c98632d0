// JSON shapes: keys and value types, recursively; an array by the merged shape of its elements.
// Used to hold an emulator's answers against what the real service sent (saved deliveries, recorded
// snapshots) without comparing values, which differ by nature (ids, times, amounts).
export type Shape =
  | { type: 'null' | 'boolean' | 'number' | 'string' }
  | { type: 'array'; items?: Shape }
  | { type: 'object'; keys: Record<string, Shape> };

export function shapeOf(value: unknown): Shape {
  if (value === null || value === undefined) return { type: 'null' };
  if (Array.isArray(value)) {
    const items = value.map(shapeOf).reduce<Shape | undefined>((a, b) => (a ? merge(a, b) : b), undefined);
    return items ? { type: 'array', items } : { type: 'array' };
  }
  if (typeof value === 'object') {
    const keys: Record<string, Shape> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) keys[k] = shapeOf(v);
    return { type: 'object', keys };
  }
  const t = typeof value;
  return { type: t === 'boolean' || t === 'number' ? t : 'string' };
}

/** Union of two shapes of the same type (array elements that differ in optional keys). */
function merge(a: Shape, b: Shape): Shape {
  if (a.type === 'object' && b.type === 'object') {
    const keys = { ...a.keys };
    for (const [k, s] of Object.entries(b.keys)) keys[k] = keys[k] ? merge(keys[k], s) : s;
    return { type: 'object', keys };
  }
  if (a.type === 'array' && b.type === 'array') {
    const items = a.items && b.items ? merge(a.items, b.items) : (a.items ?? b.items);
    return items ? { type: 'array', items } : { type: 'array' };
  }
  return a;
}

export interface ShapeDifference {
  /** JSON path, e.g. `resource.links[].encType`. */
  path: string;
  kind: 'missing' | 'extra' | 'type';
  expected?: string;
  actual?: string;
}

/**
 * Differences of `actual` from `expected`: keys the expected has and the actual lacks (missing), keys only
 * the actual has (extra), and differing value types. An empty array matches any element shape.
 */
export function compareShapes(expected: Shape, actual: Shape, path = '$'): ShapeDifference[] {
  if (expected.type !== actual.type) return [{ path, kind: 'type', expected: expected.type, actual: actual.type }];
  if (expected.type === 'array' && actual.type === 'array') {
    return expected.items && actual.items ? compareShapes(expected.items, actual.items, `${path}[]`) : [];
  }
  if (expected.type === 'object' && actual.type === 'object') {
    const out: ShapeDifference[] = [];
    for (const [k, s] of Object.entries(expected.keys)) {
      const a = actual.keys[k];
      if (!a) out.push({ path: `${path}.${k}`, kind: 'missing', expected: s.type });
      else out.push(...compareShapes(s, a, `${path}.${k}`));
    }
    for (const [k, s] of Object.entries(actual.keys))
      if (!expected.keys[k]) out.push({ path: `${path}.${k}`, kind: 'extra', actual: s.type });
    return out;
  }
  return [];
}

/** Shape differences between two JSON values, as readable lines (`missing $.a.b (string)`). */
export function shapeDiff(expected: unknown, actual: unknown): string[] {
  return compareShapes(shapeOf(expected), shapeOf(actual)).map(
    (d) => `${d.kind} ${d.path} (${d.kind === 'type' ? `${d.expected} → ${d.actual}` : (d.expected ?? d.actual)})`,
  );
}
