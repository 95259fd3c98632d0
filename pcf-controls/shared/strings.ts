// Strings come from each control's .resx through context.resources; a missing key shows the key itself,
// which the platform also does, so a gap is visible instead of blank.
export type Translate = (key: string, ...args: (string | number)[]) => string;

export function createTranslate(resources: ComponentFramework.Resources): Translate {
  return (key, ...args) => {
    const text = resources.getString(key) || key;
    return args.reduce<string>((acc, arg, i) => acc.split(`{${i}}`).join(String(arg)), text);
  };
}

/** A key of the control's resx, or undefined when the resx has none (Translate answers the key itself). */
export function optional(t: Translate, key: string, ...args: (string | number)[]): string | undefined {
  const text = t(key, ...args);
  return text === key ? undefined : text;
}
