import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/** An echo server that also records what it received. */
async function startEcho(): Promise<{ server: Server; port: number; received: () => string }> {
  let received = '';
  const server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      socket.write(chunk);
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  return { server, port, received: () => received };
}

async function dial(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return socket;
}

async function roundTrip(socket: Socket, text: string): Promise<string> {
  socket.write(text);
  const [chunk] = (await once(socket, 'data')) as [Buffer];
  return chunk.toString();
}

describe('startTcpProxy', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let proxy: TcpProxy;
  const sockets: Socket[] = [];
  const open = async (): Promise<Socket> => {
    const socket = await dial(proxy.port);
    socket.on('error', () => undefined);
    sockets.push(socket);
    return socket;
  };

  beforeEach(async () => {
    echo = await startEcho();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: echo.port });
  });

  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.destroy());
    await proxy.close();
    echo.server.close();
  });

  it('should forward bytes both ways and count connections', async () => {
    const socket = await open();
    expect(await roundTrip(socket, 'hello')).toBe('hello');
    expect(proxy.openConnections()).toBe(1);
    expect(proxy.totalConnections()).toBe(1);
    expect(proxy.url).toBe(`https://127.0.0.1:${proxy.port}`);
  });

  it('should close every open connection on cutAll', async () => {
    const first = await open();
    const second = await open();
    await roundTrip(first, 'a');
    await roundTrip(second, 'b');
    // events.once would reject on the ECONNRESET error that comes before the close.
    const closed = Promise.all(
      [first, second].map((s) => new Promise((resolve) => s.once('close', resolve))),
    );
    proxy.cutAll();
    await closed;
    expect(proxy.openConnections()).toBe(0);
    const third = await open();
    expect(await roundTrip(third, 'c')).toBe('c');
  });

  it('should hold bytes while stalled and deliver them on resume', async () => {
    const socket = await open();
    await roundTrip(socket, 'x');
    proxy.stall();
    const echoed = once(socket, 'data');
    socket.write('held');
    // A negative assertion needs some time to pass: long enough for an unstalled proxy.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(echo.received()).toBe('x');
    expect(socket.destroyed).toBe(false);
    proxy.resume();
    const [chunk] = (await echoed) as [Buffer];
    expect(chunk.toString()).toBe('held');
  });

  it('should refuse new connections but keep open ones, then accept on the same port', async () => {
    const socket = await open();
    const port = proxy.port;
    await proxy.refuse();
    await expect(dial(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await roundTrip(socket, 'still')).toBe('still');
    await proxy.accept();
    expect(proxy.port).toBe(port);
    expect(await roundTrip(await open(), 'again')).toBe('again');
  });

  it('should hold only the connections open at pauseExisting, and let new ones flow', async () => {
    const old = await open();
    await roundTrip(old, 'x');
    proxy.pauseExisting();
    const echoed = once(old, 'data');
    old.write('held');
    const fresh = await open();
    expect(await roundTrip(fresh, 'fresh')).toBe('fresh');
    // The new connection's echo came back through the same proxy and server: the old
    // connection's bytes, sent before, would have arrived by now if they were not held.
    expect(echo.received()).toBe('xfresh');
    expect(old.destroyed).toBe(false);
    proxy.resume();
    const [chunk] = (await echoed) as [Buffer];
    expect(chunk.toString()).toBe('held');
  });

  it('should pass the bytes from the server in small pieces, in order, while throttled', async () => {
    const socket = await open();
    await roundTrip(socket, 'x');
    proxy.throttle(25_000); // 500 bytes per 20 ms piece: ten pieces for these 5,000 bytes
    const text = Array.from({ length: 1000 }, (_, i) => String(i % 10)).join('');
    const pieces: string[] = [];
    const all = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        pieces.push(chunk.toString());
        if (pieces.join('').length >= text.length * 5) resolve();
      });
    });
    socket.write(text.repeat(5));
    await all;
    expect(pieces.join('')).toBe(text.repeat(5));
    // Pieces 20 ms apart arrive as separate reads unless the event loop stalls that long.
    expect(pieces.length).toBeGreaterThan(1);
    proxy.throttle(undefined);
    expect(await roundTrip(socket, 'fast')).toBe('fast');
  });

  it('should resolve bytesFromServer once that many more bytes came from the server', async () => {
    const socket = await open();
    await roundTrip(socket, 'before');
    let resolved = false;
    const passed = proxy.bytesFromServer(10).then(() => (resolved = true));
    expect(await roundTrip(socket, 'abcde')).toBe('abcde');
    expect(resolved).toBe(false);
    await roundTrip(socket, 'fghij');
    await passed;
    expect(resolved).toBe(true);
  });
});
