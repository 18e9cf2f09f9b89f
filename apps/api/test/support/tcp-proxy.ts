import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy between the app and a server (PostgreSQL, Redis) that a test can cut, as a
 * crashed server or a lost network would: `cut` drops every open connection and turns new
 * ones away until `restore`.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private down = false;

  private constructor(private readonly server: Server) {}

  static async start(host: string, port: number): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server);
    server.on('connection', (client) => proxy.accept(client, host, port));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));

    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  cut(): void {
    this.down = true;
    this.sockets.forEach((socket) => socket.destroy());
    this.sockets.clear();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((done) => this.server.close(done));
  }

  private accept(client: Socket, host: string, port: number): void {
    if (this.down) {
      client.destroy();

      return;
    }

    const upstream = connect(port, host);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ]) {
      this.sockets.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
    }
  }
}
