// What the local stand-ins for platform APIs (peers/*_api.mjs) share: waiting
// for a recorded request, and stopping the server without waiting for idle
// keep-alive connections.
import { setTimeout as sleep } from 'node:timers/promises';

// Polls probe() every 50 ms until it returns something truthy; throws after ms.
export async function waitFor(probe, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

export function closeServer(server) {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}
