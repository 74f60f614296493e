import { createServer, connect, type Server, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket;
}

/** A loopback TCP proxy the test can cut, stall and restore, to make a database unreachable for real. */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly pairs = new Set<Pair>();
  /** While stalled, accepted clients wait here for an upstream connection. */
  private readonly waiting: Socket[] = [];
  private stalled = false;
  port = 0;

  constructor(private readonly targetHost: string, private readonly targetPort: number) {}

  async start(port = 0): Promise<void> {
    this.server = createServer((client) => {
      this.track(client);
      if (this.stalled) this.waiting.push(client);
      else this.forward(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private forward(client: Socket): void {
    const upstream = connect(this.targetPort, this.targetHost);
    this.track(upstream);
    const pair = { client, upstream };
    this.pairs.add(pair);
    client.on('close', () => {
      this.pairs.delete(pair);
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  }

  /** Drops every open connection and stops accepting new ones (connections are refused). */
  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.waiting.length = 0;
    this.stalled = false;
    await new Promise<void>((resolve) => (this.server?.listening ? this.server.close(() => resolve()) : resolve()));
  }

  /**
   * A network black hole: connections stay open and new ones are accepted, but
   * nothing passes in either direction (no reset, no answer) until resume().
   */
  stall(): void {
    this.stalled = true;
    for (const { client, upstream } of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Ends a stall: held bytes and connections go through. */
  resume(): void {
    this.stalled = false;
    for (const { client, upstream } of this.pairs) client.pipe(upstream).pipe(client);
    for (const client of this.waiting.splice(0)) if (!client.destroyed) this.forward(client);
  }

  /** Accepts connections again on the same port. */
  restore(): Promise<void> {
    return this.start(this.port);
  }
}
