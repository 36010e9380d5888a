// Imported first by extension.ts, so this runs before any other module of the bundle is evaluated: the start of
// "load + activate", the time VS Code's Running Extensions view reports for an extension.
export const moduleLoadStart = performance.now();
