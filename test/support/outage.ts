import net from 'node:net';
import type { DatabaseConnection, Dialect, Driver, Kysely, TransactionSettings } from 'kysely';

/** Something that can take the database away from Herald and give it back. */
export interface OutageSwitch {
  /** Connections are refused, as when the server is down. */
  cut(): Promise<void>;
  /** Connections are accepted but nothing ever answers, as with a network partition. */
  hang(): Promise<void>;
  restore(): Promise<void>;
}

/**
 * A TCP proxy in front of a real PostgreSQL server. Cutting it drops every open connection and refuses
 * new ones, as a crashed or unreachable server would; restoring listens again on the same port.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<OutageSwitch & { port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  let hanging = false;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        sockets.add(client);
        client.on('close', () => sockets.delete(client));
        client.on('error', () => client.destroy());
        if (hanging) return;
        const upstream = net.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const cut = async () => {
    const closing = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const s of sockets) s.destroy();
    await closing;
    server = null;
  };
  await listen();
  return {
    get port() {
      return port;
    },
    cut,
    async hang() {
      hanging = true;
      for (const s of sockets) s.destroy();
    },
    async restore() {
      hanging = false;
      for (const s of sockets) s.destroy();
      if (!server) await listen();
    },
    close: cut,
  };
}

/**
 * For the embedded database, which has no connection to cut: a dialect whose connections fail, as a
 * lost server's would, while the switch is off.
 */
export function outageDialect(inner: Dialect): { dialect: Dialect; switch: OutageSwitch } {
  let down = false;
  let hanging = false;
  const never = () => new Promise<never>(() => undefined);
  const refuse = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  const guard = (connection: DatabaseConnection): DatabaseConnection => ({
    executeQuery: (q) => (hanging ? never() : down ? Promise.reject(refuse()) : connection.executeQuery(q)),
    streamQuery: (q, n) => connection.streamQuery(q, n),
  });
  const dialect: Dialect = {
    createAdapter: () => inner.createAdapter(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db: Kysely<any>) => inner.createIntrospector(db),
    createDriver(): Driver {
      const driver = inner.createDriver();
      const originals = new WeakMap<DatabaseConnection, DatabaseConnection>();
      return {
        init: () => driver.init(),
        async acquireConnection() {
          if (hanging) return never();
          if (down) throw refuse();
          const connection = await driver.acquireConnection();
          const wrapped = guard(connection);
          originals.set(wrapped, connection);
          return wrapped;
        },
        beginTransaction: (c, s: TransactionSettings) => driver.beginTransaction(originals.get(c) ?? c, s),
        commitTransaction: (c) => driver.commitTransaction(originals.get(c) ?? c),
        rollbackTransaction: (c) => driver.rollbackTransaction(originals.get(c) ?? c),
        releaseConnection: (c) => driver.releaseConnection(originals.get(c) ?? c),
        destroy: () => driver.destroy(),
      };
    },
  };
  return {
    dialect,
    switch: {
      cut: async () => {
        down = true;
      },
      hang: async () => {
        hanging = true;
      },
      restore: async () => {
        down = false;
        hanging = false;
      },
    },
  };
}
