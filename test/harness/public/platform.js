/* global window, React, FluentUIReact */
// What the platform provides before a control's bundle runs: React 16.14 and Fluent UI 8 under the
// aliases pcf-scripts compiles against (pcf-scripts/PlatformLibraryVersions.json), and the
// ComponentFramework.registerControl hook the bundle's footer calls.
window.Reactv16 = React;
window.FluentUIReactv81211 = FluentUIReact;
// Fluent's MDL2 icons are registered by the Fluent bundle itself, from the harness (fabric-config.js).
window.__pcfControls = {};
window.ComponentFramework = {
  registerControl: function (name, ctor) {
    window.__pcfControls[name] = ctor;
  },
};
