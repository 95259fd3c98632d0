/* global window */
// Read by Fluent UI when its bundle loads (the UMD bundle registers its icons itself, with this base URL):
// Fluent's MDL2 icon font from the harness (node_modules/@fluentui/font-icons-mdl2/fonts at /vendor/fonts/)
// instead of Microsoft's CDN, so icons render offline as the platform shows them; an empty fontBaseUrl keeps it
// from registering Segoe UI web fonts from the CDN (Dynamics users have Segoe UI locally; harness.css names it
// with system fallbacks).
window.FabricConfig = { iconBaseUrl: '/vendor/fonts/', fontBaseUrl: '' };
