// A file replaced by writing `X.new` and renaming it over `X` must have its data on disk before
// the rename, or a power cut may leave `X` empty: XFS, f2fs, UBIFS, JFFS2 and an overlay on them
// (OpenWrt) may commit the rename first. ext4 (auto_da_alloc, the default) and ext3 in their
// ordered data modes commit a replacing rename's data with it, and tmpfs keeps nothing across a
// power cut: there the flush is skipped (~30 ms an entry on an emulated router, issue 17). Unknown
// file systems, an unreadable /proc/mounts or a folder that cannot be entered get the flush.
import { shellQuote } from './shell-quote.js';

/** The shell variable a probe sets to 1 where renames need no flush before them. */
export type RenameSafeVar = 'teqlctl_rs' | 'tq_rsd';

/**
 * Sets `variable` to 1 when the file system holding `dir` (or its nearest existing ancestor, symlinks
 * resolved) commits a replacing rename's data with it, else 0. Shell builtins only: no process. The
 * mount that holds the folder is the last line of /proc/mounts whose mount point is a prefix of it
 * (a later mount over a shorter prefix hides an earlier, longer one; a mount moved since keeps its
 * place in the list: read as the later line says). A mount point /proc/mounts escapes (a space is
 * \040) that may hold the folder makes the answer unknown: a flush. ext3 and ext4 count only with a
 * journal (jbd2 names it; ext4 without one, common in embedded images, orders nothing) and their
 * barriers on. `mounts` and `jbd2`: for tests only.
 */
export function renameSafeProbe(dir: string, variable: RenameSafeVar, mounts = '/proc/mounts', jbd2 = '/proc/fs/jbd2'): string {
  const start = dir.startsWith('$') ? `"${dir}"` : shellQuote(dir);
  return [
    `${variable}=0; tq_rfd=${start}; while [ -n "$tq_rfd" ] && [ ! -d "$tq_rfd" ]; do tq_rfd=\${tq_rfd%/*}; done; [ -n "$tq_rfd" ] || tq_rfd=/`,
    `tq_rfw=$PWD; if cd -P "$tq_rfd" 2>/dev/null; then tq_rfd=$PWD; cd "$tq_rfw" 2>/dev/null; tq_rft=; tq_rfv=`,
    `  { while read -r tq_rf1 tq_rfm tq_rf3 tq_rf4 tq_rf5; do case $tq_rfm in`,
    `    *\\\\*) tq_rfp=\${tq_rfm%%\\\\*}; case "$tq_rfd/" in "$tq_rfp"*) tq_rft='?,'; tq_rfv=;; esac;;`,
    `    *) tq_rfp=\${tq_rfm%/}; case "$tq_rfd/" in "$tq_rfp"/*) tq_rft="$tq_rf3,$tq_rf4,"; tq_rfv=$tq_rf1;; esac;;`,
    `  esac; done < ${shellQuote(mounts)}; } 2>/dev/null`,
    `  case $tq_rft in`,
    `    ext[34],*data=writeback*|ext4,*noauto_da_alloc*|ext[34],*nobarrier*|ext[34],*barrier=0*) ;;`,
    `    ext[34],*) [ -d ${shellQuote(jbd2)}/"\${tq_rfv##*/}-8" ] && ${variable}=1;;`,
    `    tmpfs,*|ramfs,*) ${variable}=1;;`,
    '  esac',
    'fi',
  ].join('\n');
}

/**
 * Flushes the file system of `path` unless a probe found renames there safe. Without a probe in the
 * script (the variable unset), it flushes: the safe default.
 */
export function flushBeforeRename(variable: RenameSafeVar, path: string): string {
  const target = path.startsWith('$') ? `"${path}"` : shellQuote(path);
  return `{ [ "\${${variable}:-}" = 1 ] || sync -f ${target} 2>/dev/null || sync; }`;
}
