/**
 * Calls `stop` when the process that started this one (npm start's supervisor, named in
 * CAIRN_SUPERVISOR_PID) is gone, so that a killed supervisor leaves no orphaned servers behind.
 */
export function exitWithSupervisor(stop: () => void): void {
  const pid = Number(process.env.CAIRN_SUPERVISOR_PID);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const timer = setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch {
      clearInterval(timer);
      stop();
    }
  }, 2000);
  timer.unref();
}
