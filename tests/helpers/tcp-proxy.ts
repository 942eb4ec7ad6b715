import { createServer, connect, type Server, type Socket } from "node:net";

/**
 * A loopback TCP proxy in front of a database, for fault tests. "pass" forwards; "hang" is a
 * database that accepts TCP but never answers (a dead network path): connections open before
 * stay frozen for good, new ones are accepted and never forwarded. Back to "pass", new
 * connections work again and the frozen ones stay frozen, as after a real partition.
 */
export interface TcpProxy {
  port: number;
  mode: "pass" | "hang";
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let mode: TcpProxy["mode"] = "pass";
  const frozen = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => undefined);
    if (mode === "hang") {
      frozen.add(client);
      client.pause();
      return;
    }
    const upstream = connect(target.port, target.host);
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    // Forward only while the proxy passes; a connection that saw "hang" never recovers.
    client.on("data", (chunk) =>
      mode === "pass" && !frozen.has(client) ? upstream.write(chunk) : frozen.add(client),
    );
    upstream.on("data", (chunk) =>
      mode === "pass" && !frozen.has(client) ? client.write(chunk) : frozen.add(client),
    );
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("proxy has no port");
  return {
    port: address.port,
    get mode() {
      return mode;
    },
    set mode(next) {
      mode = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
