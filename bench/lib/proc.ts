/** Server-side measurements read from /proc (Linux only). */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

let ticks: number | undefined;

/** Clock ticks per second for /proc/PID/stat's utime/stime (getconf CLK_TCK, usually 100). */
export function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** utime + stime of the process (all its threads), in clock ticks. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  return Number(fields[11]) + Number(fields[12]);
}

export interface MemoryStatus {
  rssMiB: number;
  hwmMiB: number;
}

export function memory(pid: number): MemoryStatus {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0), so a later VmHWM is the peak of one scenario. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Samples VmRSS every intervalMs until stopped; together with VmHWM (after a
 * reset) it gives the peak of one scenario even where clear_refs is refused.
 */
export function sampleRss(pid: number, intervalMs = 20): { stop(): number } {
  let max = 0;
  const tick = () => {
    try {
      max = Math.max(max, memory(pid).rssMiB);
    } catch {
      /* the process exited */
    }
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return max;
    },
  };
}

export interface CpuWindow {
  end(): number;
}

/** CPU seconds the process spends between now and end(). */
export function cpuWindow(pid: number): CpuWindow {
  const start = cpuTicks(pid);
  return { end: () => (cpuTicks(pid) - start) / clockTicks() };
}
