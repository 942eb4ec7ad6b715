import net from "node:net";

/**
 * A keep-alive HTTP/1.1 connection for load generators, one request at a time: the request is
 * bytes serialised up front, the response is read by its Content-Length. The benchmarks' load
 * generators share the 2 cores with the app and PostgreSQL, so they spend as little CPU as they
 * can. A socket error answers the request in flight with status 0.
 */
export function rawHttpConnection(port: number) {
  const socket = net.connect({ host: "127.0.0.1", port, noDelay: true });
  let buffer: Buffer = Buffer.alloc(0);
  let waiting: ((response: { status: number; body: string }) => void) | null = null;
  const answer = (response: { status: number; body: string }) => {
    const done = waiting;
    waiting = null;
    done?.(response);
    return done !== null;
  };
  socket.on("data", (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    const headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) return;
    const head = buffer.toString("latin1", 0, headerEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) throw new Error(`response without Content-Length:\n${head}`);
    const end = headerEnd + 4 + Number(length[1]);
    if (buffer.length < end) return;
    const response = {
      status: Number(head.slice(9, 12)),
      body: buffer.toString("utf8", headerEnd + 4, end),
    };
    buffer = buffer.subarray(end);
    answer(response);
  });
  socket.on("error", (error) => {
    if (!answer({ status: 0, body: "" })) console.error(error);
  });
  const connected = new Promise<void>((resolve) => socket.once("connect", resolve));
  return {
    connected,
    request(bytes: Buffer): Promise<{ status: number; body: string }> {
      return new Promise((resolve) => {
        waiting = resolve;
        socket.write(bytes);
      });
    },
    close: () => socket.end(),
  };
}

export type RawHttpConnection = ReturnType<typeof rawHttpConnection>;
