// The record the form shows. `context.mode.contextInfo` is what model-driven forms pass to every control
// (not in @types/powerapps-component-framework, hence the narrow structural read).
export interface FormRecord {
  entityName: string;
  id: string;
}

interface ContextInfo {
  entityId?: string;
  entityTypeName?: string;
}

export function formRecord(context: ComponentFramework.Context<unknown>): FormRecord | undefined {
  const info = (context.mode as unknown as { contextInfo?: ContextInfo }).contextInfo;
  if (!info?.entityId || !info.entityTypeName) return undefined;
  return { entityName: info.entityTypeName, id: info.entityId.replace(/[{}]/g, '').toLowerCase() };
}

/** Field security and the control's disabled state, folded into one flag for the component. */
export function isReadOnly(
  context: ComponentFramework.Context<unknown>,
  bound?: ComponentFramework.PropertyTypes.Property,
): boolean {
  return context.mode.isControlDisabled || bound?.security?.editable === false;
}

/** The signed-in user's id as lookups return it: lower case, no braces (userSettings.userId is "{GUID}"). */
export function userIdOf(context: ComponentFramework.Context<unknown>): string {
  return context.userSettings.userId.replace(/[{}]/g, '').toLowerCase();
}
