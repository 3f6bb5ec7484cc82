// Pages under test open Loupe's live WebSocket. Under bun, playwright-core's tracking of real network
// WebSockets sometimes receives a frame event before the socket object and throws ("Cannot find object
// to frameSent"), killing the browser connection mid-suite. Routing the socket through Playwright keeps
// the page's live connection working (frames pass straight through to the server) without that tracking.
import type { BrowserContext } from "playwright-core";

export async function passThroughLiveSocket(context: BrowserContext): Promise<void> {
  await context.routeWebSocket(/\/live(\?|$)/, (ws) => {
    ws.connectToServer();
  });
}
