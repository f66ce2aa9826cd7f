// The AWS SDK warns once per process that its releases after January 2027 need Node 22. The
// versions pinned here run on Node 20 (Lambda runs Node 24), and the README says so; on the
// command line the notice only hides what matters. Import this first in a bin/ entry point.
const emitWarning = process.emitWarning.bind(process);

process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  if (String(warning instanceof Error ? warning.message : warning).startsWith('NodeVersionSupportWarning')) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
