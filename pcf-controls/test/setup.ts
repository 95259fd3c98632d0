// jest-dom matchers (toBeDisabled, toHaveAccessibleName, …) on @jest/globals' expect. The platform registers
// Fluent's icon font; tests do not, so the "icon not registered" warnings are switched off.
import '@testing-library/jest-dom/jest-globals';
import { setIconOptions } from '@fluentui/react';

setIconOptions({ disableWarnings: true });
