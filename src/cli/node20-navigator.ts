// node-postgres asks at import time whether it runs on Cloudflare Workers.
// Where `navigator` is defined (Node 21+, Deno) the answer is immediate; on
// Node 20 it builds a fetch Response instead, which loads Node's whole fetch
// implementation: about 15 ms on every run. Give Node 20 what Node 21+ has.
// Imported first by the entry, so it runs before the driver is loaded.
if (typeof (globalThis as { navigator?: unknown }).navigator === 'undefined') {
  Object.defineProperty(globalThis, 'navigator', {
    value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` },
    configurable: true,
    writable: true,
  });
}
