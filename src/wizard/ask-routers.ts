// Step 1: ask how to reach router A, then B, and connect to each (asking again until it works).
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { resolveHost } from '../connect/local-ssh.js';
import type { Target } from '../connect/resolve-target.js';
import { hostAliases } from '../connect/ssh-config.js';
import { ConnectError } from '../errors.js';
import { hostProblem } from '../load/login-rules.js';
import { askConfirm, askSecret, askText, isPromptExit } from '../ui/prompts.js';
import { checkKeyFile, connectRouter } from './connect-router.js';
import { hostName, type RouterAnswers, type Side } from './model.js';
import * as q from './questions.js';
import { routerDefaults, tildify } from './router-defaults.js';
import { samePlace } from './same-router.js';
import { hostKeyWritten } from './interrupt.js';
import { other, type WizardSession } from './session.js';
import { heading, say } from './terminal.js';

/**
 * How `teqlctl play` would reach the name typed, with nothing else given (`ssh -G` where ssh is
 * installed: Include, Match and /etc/ssh/ssh_config apply), and the same with no ssh_config at all,
 * to tell what came from it. A name ssh_config cannot resolve is said, and the questions then
 * offer OpenSSH's own defaults.
 */
async function resolveTyped(s: WizardSession, typed: string): Promise<{ resolved?: Target; bare?: Target }> {
  const local = await s.localSsh();
  const spec = { host: typed, become: false, becomeUser: 'root' };
  try {
    const [resolved, bare] = await Promise.all([resolveHost(typed, spec, local), resolveHost(typed, { ...spec, sshConfigFile: '/dev/null' }, local)]);
    return { resolved, bare };
  } catch (err) {
    if (!(err instanceof ConnectError)) throw err;
    say(`  ! ssh_config for ${typed}: ${err.message}`);
    return {};
  }
}

/**
 * `user@host`, as ssh takes it: the user is the user question's default, the host is resolved
 * (teqlctl's own resolver, where there is no ssh client, took the whole as a name, and the
 * question came back again and again: a review). The last `@` splits, as ssh's.
 */
export function splitUserHost(answer: string): { user?: string; host: string } {
  const at = answer.lastIndexOf('@');
  return at > 0 && at < answer.length - 1 ? { user: answer.slice(0, at), host: answer.slice(at + 1) } : { host: answer };
}

async function askRouter(s: WizardSession, side: Side, prev: RouterAnswers | undefined): Promise<RouterAnswers> {
  heading(`Router ${side.toUpperCase()}`);
  const home = homedir();
  const localUser = process.env.USER ?? userInfo().username;
  const agent = Boolean(process.env.SSH_AUTH_SOCK);
  const answer = (await askText(q.hostQuestion(side, prev ? prev.alias ?? prev.host : undefined, hostAliases(s.sshConfig)))).trim();
  const { user: typedUser, host: typed } = splitUserHost(answer);
  const { resolved, bare } = await resolveTyped(s, typed);
  const d = routerDefaults(typed, resolved, { home, localUser, agent, exists: existsSync }, bare);
  const badHost = hostProblem(d.host);
  if (badHost) {
    // A HostName from ssh_config, held to what the inventory can hold (as the typed name was).
    say(`  ! ssh_config gives ${typed} the HostName ${d.host}, which the inventory cannot hold: ${badHost}. Give an address or another name.`);
    return askRouter(s, side, prev);
  }
  if (d.fromConfig.length > 0) say(`  from ssh_config: ${d.fromConfig.join(', ')}`);
  if (d.proxyJump !== undefined) say(`  through the ProxyJump: the wizard connects to ${typed} as ssh does, and the inventory's ansible_host names ${typed}, so that play reads its HostName and jump hosts from ssh_config too`);
  const same = prev !== undefined && (prev.alias ?? prev.host) === typed;
  const port = Number((await askText(q.portQuestion(side, same ? prev.port : d.port))).trim());
  const user = (await askText(q.userQuestion(side, typedUser ?? (same ? prev.user : d.user)))).trim();
  const key = (await askText(q.keyQuestion(side, same ? prev.keyFile ?? '' : d.keyFile, agent, checkKeyFile))).trim();
  const become = await askConfirm(q.becomeQuestion(side, user));
  // Relative key paths would be read relative to the inventory's folder: write them absolute.
  const keyFile = key === '' ? undefined : key.startsWith('~') ? key : tildify(resolve(key), home);
  return { side, name: hostName(side), host: d.host, port, user, become, ...(keyFile ? { keyFile } : {}), ...(d.fromConfig.length > 0 ? { alias: typed } : {}), ...(d.proxyJump !== undefined ? { proxyJump: d.proxyJump } : {}) };
}

export async function askAndConnect(s: WizardSession, side: Side): Promise<void> {
  let prev: RouterAnswers | undefined;
  for (;;) {
    const answers = await askRouter(s, side, prev);
    prev = answers;
    const peer = s.conns.get(other(side))?.answers;
    if (peer && samePlace(peer, answers)) {
      say(`  ! ${answers.host}:${answers.port} is router ${other(side).toUpperCase()} already: give the other router.`);
      continue;
    }
    say(`  connecting to ${answers.user}@${answers.host}:${answers.port}${answers.proxyJump ? ` through ${answers.proxyJump}` : ''} ...`);
    // The transport turns a failed secret prompt into a ConnectError: remember a Ctrl-C to end the wizard.
    let cancelled: unknown;
    const ask = <T>(prompt: Promise<T>): Promise<T> => prompt.catch((err: unknown) => {
      if (isPromptExit(err)) cancelled = err;
      throw err;
    });
    try {
      const conn = await connectRouter(answers, {
        trust: async (fingerprint, label, jumpHost) => {
          const yes = await ask(askConfirm(q.trustQuestion(label, fingerprint, jumpHost)));
          if (yes) s.wrote.push(hostKeyWritten(label)); // recorded right after this answer
          return yes;
        },
        becomePassword: (router, user) => ask(askSecret(`${router}: sudo asks for the password of ${user}`)),
        keyPassphrase: (file) => ask(askSecret(`passphrase of ${file}`)),
      });
      say(`  connected to ${answers.name}.`);
      s.conns.set(side, { answers, conn });
      return;
    } catch (err) {
      if (cancelled) throw cancelled;
      if (!(err instanceof ConnectError)) throw err;
      say(`  ! could not connect: ${err.message}`);
      if (err.hint) say(`    hint: ${err.hint}`);
      say('    Check the answers (what you typed is the default):');
    }
  }
}
