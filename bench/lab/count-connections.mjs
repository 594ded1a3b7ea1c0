// Preloaded (node --import) into the teqlctl CLI the bench times: counts the TCP connections it opens
// per remote port and writes them to $BENCH_CONNECTIONS_FILE at exit. Plain JS so no loader is timed.
import net from 'node:net';
import { writeFileSync } from 'node:fs';

const counts = {};
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  this.once('connect', () => {
    const key = `${this.remoteAddress}:${this.remotePort}`;
    counts[key] = (counts[key] ?? 0) + 1;
  });
  return connect.apply(this, args);
};
process.on('exit', () => {
  if (process.env.BENCH_CONNECTIONS_FILE) writeFileSync(process.env.BENCH_CONNECTIONS_FILE, JSON.stringify(counts));
});
