import { readdirSync, readFileSync } from 'node:fs';

/**
 * Preloaded (`node --require`) into each server the bench starts as a child process. It answers the
 * bench over the IPC channel with the server's own CPU time and memory, so those figures never
 * include the load generator's work.
 */
export interface Usage {
  cpu: NodeJS.CpuUsage;
  memory: NodeJS.MemoryUsage;
  /** Resident memory of the server and every process it started (Linux; else the server's own). */
  treeRss: number;
  /** The server process's highest resident memory since it started (VmHWM; Linux, else RSS now). */
  peakRss: number;
}

export type ProbeRequest = { id: number; ask: 'usage' | 'gc' };
export type ProbeAnswer = { id: number; usage: Usage };

/** A /proc/<pid>/status field in bytes, or null off Linux or once the process is gone. */
function statusBytes(pid: number, field: string): number | null {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

function treeRss(pid: number): number {
  return (statusBytes(pid, 'VmRSS') ?? 0) + childrenOf(pid).reduce((sum, child) => sum + treeRss(child), 0);
}

if (process.send) {
  process.on('message', (message: ProbeRequest) => {
    if (message?.ask === 'gc') (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    const usage: Usage = {
      cpu: process.cpuUsage(),
      memory,
      treeRss: treeRss(process.pid) || memory.rss,
      peakRss: statusBytes(process.pid, 'VmHWM') ?? memory.rss,
    };
    process.send!({ id: message.id, usage } satisfies ProbeAnswer);
  });
  // The IPC channel must not keep a server alive that was told to stop.
  process.channel?.unref();
}
