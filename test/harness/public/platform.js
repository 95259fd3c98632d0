/* global window, React, FluentUIReact */
// What the platform provides before a control's bundle runs: React 16.14 and Fluent UI 8 under the
// aliases pcf-scripts compiles against (pcf-scripts/PlatformLibraryVersions.json), and the
// ComponentFramework.registerControl hook the bundle's footer calls.
window.Reactv16 = React;
window.FluentUIReactv81211 = FluentUIReact;
// The platform registers Fluent's MDL2 icon font itself; the harness serves the same font files from
// node_modules (@fluentui/font-icons-mdl2/fonts, at /vendor/fonts/), so icons render offline as in Dynamics.
FluentUIReact.initializeIcons('/vendor/fonts/');
window.__pcfControls = {};
window.ComponentFramework = {
  registerControl: function (name, ctor) {
    window.__pcfControls[name] = ctor;
  },
};
