// `teqlctl play` for real: load and validate (no host contacted on bad input), connect, run,
// print, exit with the run's code. The offline looks (--syntax-check, --list-*) are in play-offline.ts.
import { hostname, userInfo } from 'node:os';
import { loadRun, refuseMissingKnownHosts } from '../load/index.js';
import { connectSsh, type ConnectOptions } from '../connect/ssh-transport.js';
import { readLocalSsh } from '../connect/local-ssh.js';
import { askOnce, givenSecrets, unusedBecomeFile } from '../connect/secrets.js';
import { closeAll, connectFirst } from '../connect/connect-first.js';
import type { Transport } from '../connect/transport.js';
import { shellJoin } from '../router/shell-quote.js';
import { runPlay } from '../play/run-play.js';
import { newRunId } from '../play/run-id.js';
import { checkLogPlace, RunLog } from '../play/run-log.js';
import { progressMode } from '../ui/progress.js';
import { formatPlan } from '../report/print-plan.js';
import { terminalText } from '../ui/terminal.js';
import { askHidden } from '../ui/prompts.js';
import { askApproval } from './approval-prompt.js';
import { checkCombinations, confirmTimeout, forksOf, idleOffline, isOffline, loadOptions, type PlayFlags } from './play-flags.js';
import { debugHolds } from './debug-hold.js';
import { detailedExit, journalDir, logFile, runOutput, writeLocalJournal } from './play-output.js';
import { showOffline } from './play-offline.js';
import { recordPlaybookDir, recordRunOutcome } from './remembered-playbook-dir.js';
import { connectionExtraNames } from './run-extra-vars.js';
import { extraVarsLayer } from '../load/extra-vars.js';
import { Problems } from '../load/problems.js';
import { RunFailure } from '../errors.js';
import { serialNote } from '../play/sites.js';
import { withHalfBundleNotes } from '../play/half-bundles.js';
import { signalMessage, type SignalPhase } from './signal-message.js';
import { lostWords, onOutputLost } from '../ui/output-guard.js';
import { ExitCode } from '../errors.js';

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** How `play` connects: secrets given up front (or asked on a terminal), --accept-new, strict sudo. */
function connectOptions(playbook: string, flags: PlayFlags, interactive: boolean, secrets: string[], onQuit: () => void): ConnectOptions {
  const given = givenSecrets(flags, process.env);
  secrets.push(...Object.values(given));
  const rerun = shellJoin(['teqlctl', 'play', ...flags.inventory.flatMap((i) => ['-i', i]), playbook, ...(flags.limit ? ['-l', flags.limit] : []), ...(flags.extraVars ?? []).flatMap((e) => ['-e', e]), ...(flags.check ? ['--check'] : []), '--accept-new']);
  return {
    ...given,
    strictBecome: true,
    ...(interactive ? askOnce((message) => askHidden(message, flags.json ? process.stderr : undefined), (s) => secrets.push(s), onQuit) : {}),
    ...(flags.acceptNew
      ? {
          onUnknownHostKey: async (fingerprint: string, name: string) => {
            process.stderr.write(`--accept-new: trusting ${name} (${fingerprint}), seen for the first time; recorded in ~/.ssh/known_hosts (or the first UserKnownHostsFile ssh_config names for it)\n`);
            return true;
          },
        }
      : {}),
    unknownHostHint: (fingerprint) =>
      `if ${fingerprint} is really the host's key (compare out of band, e.g. ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host), trust it on first use: ${rerun}`,
  };
}

/** Runs a playbook as `teqlctl play` does; sets process.exitCode and returns the run's exit code. */
export async function runPlayCommand(playbook: string, flags: PlayFlags): Promise<number> {
  checkCombinations(flags);
  // Checked as a run checks them, offline looks too: what --syntax-check passes, a run accepts.
  const forks = forksOf(flags);
  const confirmTimeoutSec = confirmTimeout(flags);
  const holds = debugHolds(flags);
  if (isOffline(flags)) {
    givenSecrets(flags, process.env);
    if (flags.log !== undefined) checkLogPlace(flags.log);
    const idle = idleOffline(flags);
    if (idle.length > 0) process.stderr.write(`note: ${idle.join(', ')} ${idle.length > 1 ? 'do' : 'does'} nothing with --syntax-check, --list-hosts or --list-tasks: nothing is run, asked or logged\n`);
    return showOffline(playbook, flags);
  }
  const loaded = withHalfBundleNotes(await loadRun(flags.inventory, playbook, loadOptions(flags)));
  refuseMissingKnownHosts(loaded.inventory, new Set(loaded.plays.flatMap((p) => p.hosts)));
  const unusedBecome = unusedBecomeFile(flags, [...new Set(loaded.plays.flatMap((p) => p.hosts))].map((h) => loaded.inventory.hosts.get(h)?.connection.become === true));
  if (unusedBecome) process.stderr.write(terminalText(`note: ${unusedBecome}`) + '\n');
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const secrets: string[] = [];
  // The local side (ssh client, ~/.ssh/config, agent) read once for the run's every connection.
  // Ctrl-C at a question (a passphrase, the sudo password) stops the run before any change.
  const quitAtQuestion = () => {
    interrupted = true;
    stop.abort();
  };
  const connecting = { ...connectOptions(playbook, flags, interactive, secrets, quitAtQuestion), local: await readLocalSsh() };
  const runId = newRunId();
  // -v streams the log to stderr: stdout stays the recap's, or the JSON document's alone.
  const echo = flags.verbose ? { level: flags.verbose, write: (t: string) => process.stderr.write(terminalText(t)) } : undefined;
  const log = new RunLog(logFile(flags.log, runId), secrets, echo);
  if (!flags.check) journalDir();
  // Once approved, before any change: status, rollback and unlock read the group_vars/ beside the
  // playbook as this run did (they have no playbook). A declined plan leaves the last run's record.
  let recorded = false;
  const record = () => {
    if (recorded || flags.check) return;
    recorded = true;
    const unrecorded = recordPlaybookDir(flags.inventory, playbook, runId, undefined, connectionExtraNames(extraVarsLayer(flags.extraVars ?? [], new Problems())));
    if (unrecorded) process.stderr.write(terminalText(unrecorded) + '\n');
  };
  const say = (text: string) => (flags.json ? process.stderr : process.stdout).write(terminalText(text) + '\n');
  const serial = serialNote(loaded.bundles, loaded.plays);
  for (const note of [...(loaded.notes ?? []), ...(serial ? [serial] : [])]) {
    say(`note: ${note}`);
    log.note(note);
  }
  let interrupted = false;
  let phase: SignalPhase = flags.check ? { kind: 'check' } : { kind: 'running' };
  const stop = new AbortController();
  // Ctrl-C, a cancelled CI job (TERM) or a closed terminal (HUP): an orderly rollback at once while
  // the connections live (a step in flight is stopped on the router); if they are gone too, each
  // router's dead-man reverts it. A second signal changes nothing.
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    say(signalMessage(signal, phase));
    stop.abort();
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  // Its output lost (a closed pipe, a full disk, a closed terminal): stopped as for a signal, every
  // router it changed rolled back unless the run was decided; said on the other stream, in the log
  // and in the journal (README, exit 1).
  let outputGone: string | undefined;
  const offLost = onOutputLost((stream, err) => {
    if (outputGone !== undefined) return;
    // After a signal (a closed terminal: SIGHUP, then EIO) the run keeps the signal's code.
    if (interrupted) return log.note(`${lostWords(stream, err)}, after the run was interrupted`);
    outputGone = lostWords(stream, err);
    log.note(`${outputGone}: the run stops as for a signal`);
    interrupted = true;
    // Said on stdout only where stdout is not the JSON document's alone.
    if (stream === 'stdout' || !flags.json) (stream === 'stdout' ? process.stderr : process.stdout).write(terminalText(signalMessage(`teqlctl: ${outputGone}`, phase)) + '\n');
    stop.abort();
  });
  let early: Map<string, Promise<Transport>> | undefined;
  try {
    // On a terminal, connect first: any question (passphrase, sudo password) comes before the progress display.
    if (interactive) {
      const hosts = [...new Set(loaded.plays.flatMap((p) => p.hosts))];
      early = await connectFirst(hosts, forks, (h) => connectSsh(h, loaded.inventory.hosts.get(h)!.connection, connecting), stop.signal);
      if (interrupted) throw new RunFailure('interrupted', 'interrupted while connecting (Ctrl-C at a question, or a signal): nothing was changed');
    }
    const ran = await runPlay(loaded, {
      runId,
      confirmTimeoutSec,
      owner: `${userInfo().username}@${hostname()}`,
      holds,
      stop: stop.signal,
      note: (text) => say(`note: ${text}`),
      onHold: (point, sec) => process.stderr.write(`debug: holding at ${point} for ${sec} s\n`),
      onPhase: (decided, waiting = false, batchesBefore = 0) => { if (!flags.check) phase = decided ? { kind: 'decided', waiting } : { kind: 'running', batchesBefore }; },
      check: Boolean(flags.check),
      forks,
      // -v's lines would tear listr2's redrawn display: plain progress lines then.
      mode: echo && !flags.json ? 'plain' : progressMode(Boolean(flags.json)),
      log,
      connect: (host, spec) => early?.get(host) ?? connectSsh(host, spec, connecting),
      connectFresh: (host, spec) => connectSsh(host, spec, connecting),
      showPlan: (plans) => { if (!flags.json) say(formatPlan(plans, Boolean(flags.diff))); },
      approve: async (_plans, deadline) => {
        if (!flags.yes && (!process.stdin.isTTY || !process.stdout.isTTY)) {
          say('refusing to change routers without --yes when there is no terminal to ask on');
          return false;
        }
        // --json shows no plan (the document is the output), and the question would go into the
        // document: it asked to approve a plan it never showed (a review).
        if (!flags.yes && flags.json) {
          say('refusing to change routers without --yes under --json: the plan is not shown there; review it with --check (with --diff), then run with --yes');
          return false;
        }
        const answer = flags.yes ? true : await askApproval(deadline);
        if (answer === true) record();
        return answer;
      },
      interrupted: () => interrupted,
    });
    const ended = { ...(flags.detailedExitcode ? detailedExit(ran) : ran), ...(log.incomplete ? { logIncomplete: true } : {}) };
    // A rollback incomplete is said as such; any other end of a run whose output failed is exit 1.
    const result = outputGone === undefined ? ended : { ...ended, exitCode: ended.exitCode === ExitCode.rollbackIncomplete ? ended.exitCode : ExitCode.internal, summary: `${outputGone}: ${ended.summary}` };
    // Confirmed on a router: the run a later `rollback` without --run undoes, whose folder it reads.
    if (recorded && ran.hosts.some((h) => h.status === 'changed')) {
      const unrecorded = recordRunOutcome(flags.inventory, runId, true);
      if (unrecorded) process.stderr.write(terminalText(unrecorded) + '\n');
    }
    // The local copy of the run's journal (the routers keep theirs under /var/lib/teqlctl/runs).
    const unwritten = result.check ? undefined : writeLocalJournal(result.runId, runOutput(result, true, (t) => log.redact(t)));
    if (unwritten) process.stderr.write(unwritten + '\n');
    if (flags.json) process.stdout.write(runOutput(result, true, (t) => log.redact(t)) + '\n');
    else say(runOutput(result, false, (t) => log.redact(t)));
    process.exitCode = result.exitCode;
    return result.exitCode;
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    offLost();
    await closeAll(early);
  }
}
