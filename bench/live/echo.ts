// A bare Bun WebSocket echo server for bench/live's baseline round trip: `bun bench/live/echo.ts PORT`.
const server = Bun.serve({
  port: Number(process.argv[2]),
  hostname: "127.0.0.1",
  fetch: (req, srv) => (srv.upgrade(req) ? undefined : new Response("ws only", { status: 400 })),
  websocket: { message: (ws, msg) => void ws.send(msg) },
});
console.log(`echo on ${server.port}`);
