// The TCP connection of a hop whose ssh_config sets ConnectTimeout: bounded as ssh bounds it (the
// connection itself), while the login after it keeps teqlctl's own bound (a security key's touch,
// an agent's confirmation, many keys over a slow link may take longer than a short ConnectTimeout).
import { connect, type Socket } from 'node:net';
import { hostPort } from './resolve-target.js';

export function connectTcp(host: string, port: number, timeoutMs: number, family?: 'inet' | 'inet6'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port, ...(family ? { family: family === 'inet' ? 4 : 6 } : {}) });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`connect to ${hostPort(host, port)} timed out after ${timeoutMs / 1000} s (ConnectTimeout of ssh_config)`));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      resolve(sock);
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
