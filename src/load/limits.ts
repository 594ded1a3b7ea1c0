// The loader's resource limits: a hostile file ends in a ConfigError (exit 2) long before memory runs out.
// The yaml package needs some 300 to 600 bytes per token it parses, so the token count, not the file
// size, is what bounds memory; see docs/playbook-language.md, "Hostile input".
// Sized for the largest fleet MAX_HOSTS allows: until 2026-12-05 a file held 50 000 tokens and a run
// 20 000 tasks, so one inventory file stopped at ~1 100 routers and the chapter at ~1 400, far below
// the 5000 hosts allowed (found measuring the loader at fleet sizes). The chapter needs ~45 tokens of
// a one-file inventory, 14 tasks and ~140 evaluation steps per router; the limits leave room for
// twice that and more per router at 5000 (test/load/fleet-limits.test.ts loads 5000).

/** Bytes of one YAML file; checked with stat before the file is read. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** Scalars and indicators (`-`, `:`, `,`, brackets, anchors, aliases, tags) in one file; counted before parsing. */
export const MAX_TOKENS = 300_000;
/** Nesting of collections, aliases followed; deeper documents would exhaust the parser's stack. */
export const MAX_DEPTH = 64;
/** Nodes that aliases add to one file when expanded (a billion-laughs file adds some 10^10). */
export const MAX_ALIAS_NODES = 100_000;
/**
 * The yaml package's own guard (`maxAliasCount`, 100 by default): when a value is converted, an anchor
 * may be used at most this many times, weighted by the aliases inside it. 1000 leaves room for an
 * inventory that merges one `<<: *defaults` into many hosts' variables.
 */
export const MAX_ALIAS_COUNT = 1000;
/** Host and group names, ansible_host and ansible_user. */
export const MAX_NAME_CHARS = 255;
/** Hosts, and groups, in one inventory: a head office's branches, with room to spare. */
export const MAX_HOSTS = 5000;
export const MAX_GROUPS = 5000;
/** Files read from inventory folders given with -i (and from one group_vars/NAME or host_vars/NAME folder). */
export const MAX_INVENTORY_FILES = 1000;
/** Host × variable pairs: every host holds its own copy of each variable it sees. */
export const MAX_HOST_VARS = 1_000_000;
/** Task instances in one run: hosts × tasks × loop items. */
export const MAX_TASK_INSTANCES = 100_000;
/** Nesting of one expression (parentheses, `not`, chains of and/or, filters, a.b[c]): deeper ones would exhaust the stack. */
export const MAX_EXPR_DEPTH = 64;
/** Expression nodes evaluated and value nodes produced by the templates of one run (memoised: each variable once per scope). */
export const MAX_EVAL_STEPS = 10_000_000;
/** Characters of one rendered template string. */
export const MAX_TEMPLATE_CHARS = 1024 * 1024;
/** Elements of one templated value, counted as a tree (a list that holds one list twice counts it twice), and its nesting. */
export const MAX_VALUE_NODES = 100_000;
